import type { Address } from "@solana/kit";

export const COMPUTE_BUDGET_PROGRAM = "ComputeBudget111111111111111111111111111111" as Address;
export const LAMPORTS_PER_SIGNATURE = 5000n;
const DEFAULT_UNITS_PER_INSTRUCTION = 200_000;
const MAX_COMPUTE_UNIT_LIMIT = 1_400_000;

export interface ComputeBudgetInstruction {
  programAddress: Address;
  data: Uint8Array;
}

export interface ComputeBudget {
  /** Micro-lamports per compute unit (0 when the transaction sets no price). */
  unitPrice: bigint;
  unitLimit: number;
}

/** Reads SetComputeUnitLimit / SetComputeUnitPrice the way the runtime does. */
export function getComputeBudget(instructions: readonly ComputeBudgetInstruction[]): ComputeBudget {
  let unitPrice = 0n;
  let unitLimit: number | null = null;
  let otherInstructions = 0;
  for (const { programAddress, data } of instructions) {
    if (programAddress !== COMPUTE_BUDGET_PROGRAM) {
      otherInstructions += 1;
      continue;
    }
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    if (data[0] === 2 && data.length >= 5) unitLimit = view.getUint32(1, true);
    if (data[0] === 3 && data.length >= 9) unitPrice = view.getBigUint64(1, true);
  }
  const limit = unitLimit ?? otherInstructions * DEFAULT_UNITS_PER_INSTRUCTION;
  return { unitPrice, unitLimit: Math.min(limit, MAX_COMPUTE_UNIT_LIMIT) };
}

/** Base fee per signature plus the prioritisation fee, rounded up as the runtime rounds it. */
export function getTransactionFee(signatureCount: number, budget: ComputeBudget): bigint {
  const micro = budget.unitPrice * BigInt(budget.unitLimit);
  const priority = (micro + 999_999n) / 1_000_000n;
  return LAMPORTS_PER_SIGNATURE * BigInt(signatureCount) + priority;
}
