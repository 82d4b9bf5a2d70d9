import type { Address } from "@solana/kit";

export const COMPUTE_BUDGET_PROGRAM = "ComputeBudget111111111111111111111111111111" as Address;
export const LAMPORTS_PER_SIGNATURE = 5000n;
const DEFAULT_UNITS_PER_INSTRUCTION = 200_000;
/** Builtins get a small default allocation (agave's MAX_BUILTIN_ALLOCATION_COMPUTE_UNIT_LIMIT). */
const DEFAULT_UNITS_PER_BUILTIN_INSTRUCTION = 3_000;
const BUILTIN_PROGRAMS: ReadonlySet<string> = new Set([
  "11111111111111111111111111111111",
  COMPUTE_BUDGET_PROGRAM,
  "AddressLookupTab1e1111111111111111111111111",
  "Stake11111111111111111111111111111111111111",
  "Vote111111111111111111111111111111111111111",
  "Config1111111111111111111111111111111111111",
  "BPFLoaderUpgradeab1e11111111111111111111111",
  "BPFLoader2111111111111111111111111111111111",
  "BPFLoader1111111111111111111111111111111111",
  "LoaderV411111111111111111111111111111111111",
]);
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
  let defaultLimit = 0;
  for (const { programAddress, data } of instructions) {
    defaultLimit += BUILTIN_PROGRAMS.has(programAddress)
      ? DEFAULT_UNITS_PER_BUILTIN_INSTRUCTION
      : DEFAULT_UNITS_PER_INSTRUCTION;
    if (programAddress !== COMPUTE_BUDGET_PROGRAM) continue;
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    if (data[0] === 2 && data.length >= 5) unitLimit = view.getUint32(1, true);
    if (data[0] === 3 && data.length >= 9) unitPrice = view.getBigUint64(1, true);
  }
  const limit = unitLimit ?? defaultLimit;
  return { unitPrice, unitLimit: Math.min(limit, MAX_COMPUTE_UNIT_LIMIT) };
}

/** Base fee per signature plus the prioritisation fee, rounded up as the runtime rounds it. */
export function getTransactionFee(signatureCount: number, budget: ComputeBudget): bigint {
  const micro = budget.unitPrice * BigInt(budget.unitLimit);
  const priority = (micro + 999_999n) / 1_000_000n;
  return LAMPORTS_PER_SIGNATURE * BigInt(signatureCount) + priority;
}
