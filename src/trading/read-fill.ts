import type { GetTransactionApi, Rpc, Signature } from "@solana/kit";
import {
  COMPUTE_BUDGET_PROGRAM,
  getPriorityFeeLamports,
  MAX_COMPUTE_UNIT_LIMIT,
  SYSTEM_PROGRAM,
} from "../chain/assemble-swap-transaction.js";
import { JITO_DONT_FRONT } from "../chain/jito-dont-front.js";
import { base58ToBytes } from "../core/base58.js";
import { OspreyError } from "../core/osprey-error.js";

/** What a landed swap actually moved, read from its own balances, not from the quote. */
export interface Fill {
  readonly slot: bigint;
  /** The user's change in the mint over all their token accounts (base units, signed). */
  readonly tokenDelta: bigint;
  /** The user's lamport change: swap, commission, network fee and rent together (signed). */
  readonly lamportDelta: bigint;
  /** What the operator's fee account received: the commission actually paid. */
  readonly feeAccountDelta: bigint;
  /** `meta.fee`: the base fee per signature and the priority fee. */
  readonly networkFee: bigint;
  /** Compute-unit price × limit of the landed message, rounded up as the runtime charges it. */
  readonly priorityFee: bigint;
  /** What the tip account gained from the tip transfer (the one carrying the guard); null: none. */
  readonly tip: bigint | null;
  /** Compute units the transaction used, when the node reports them. */
  readonly computeUnitsConsumed: number | null;
}

interface TokenBalance {
  readonly accountIndex: number;
  readonly mint: string;
  readonly owner?: string;
  readonly uiTokenAmount: { readonly amount: string };
}

interface LandedTransaction {
  readonly slot: bigint;
  readonly meta: {
    readonly fee: bigint;
    readonly preBalances: readonly bigint[];
    readonly postBalances: readonly bigint[];
    readonly preTokenBalances?: readonly TokenBalance[] | null;
    readonly postTokenBalances?: readonly TokenBalance[] | null;
    readonly loadedAddresses?: { writable: readonly string[]; readonly: readonly string[] };
    readonly computeUnitsConsumed?: bigint | number;
  } | null;
  readonly transaction: {
    readonly message: {
      readonly accountKeys: readonly string[];
      readonly instructions?: readonly LandedInstruction[];
    };
  };
}

interface LandedInstruction {
  readonly programIdIndex: number;
  readonly accounts: readonly number[];
  /** base58 */
  readonly data: string;
}

/**
 * The priority fee as the runtime charges it: the message's price × its limit (without a limit
 * instruction, 200,000 per other instruction, at most 1.4M), and the tip's destination.
 */
function readBudget(keys: readonly string[], instructions: readonly LandedInstruction[]) {
  let price = 0n;
  let limit: number | null = null;
  let others = 0;
  let tipAccount: string | null = null;
  for (const ix of instructions) {
    const program = keys[ix.programIdIndex];
    if (program === COMPUTE_BUDGET_PROGRAM) {
      const data = base58ToBytes(ix.data);
      if (data === null) continue;
      const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
      if (data[0] === 2 && data.length >= 5) limit = view.getUint32(1, true);
      if (data[0] === 3 && data.length >= 9) price = view.getBigUint64(1, true);
      continue;
    }
    others++;
    const accounts = ix.accounts.map((index) => keys[index]);
    if (program === SYSTEM_PROGRAM && accounts.includes(JITO_DONT_FRONT))
      tipAccount = accounts[1] ?? null;
  }
  const units = limit ?? Math.min(MAX_COMPUTE_UNIT_LIMIT, 200_000 * others);
  return { priorityFee: getPriorityFeeLamports(price, units), tipAccount };
}

function sumOwned(
  balances: readonly TokenBalance[] | null | undefined,
  owner: string,
  mint: string,
) {
  let total = 0n;
  for (const balance of balances ?? []) {
    if (balance.owner === owner && balance.mint === mint)
      total += BigInt(balance.uiTokenAmount.amount);
  }
  return total;
}

/** Reads a confirmed swap's effect on the user and the fee account; null while not visible yet. */
export async function readFill(
  rpc: Rpc<GetTransactionApi>,
  signature: Signature,
  parties: { readonly owner: string; readonly mint: string; readonly feeAccount: string | null },
): Promise<Fill | null> {
  const landed = (await rpc
    .getTransaction(signature, {
      commitment: "confirmed",
      encoding: "json",
      maxSupportedTransactionVersion: 0,
    })
    .send()) as unknown as LandedTransaction | null;
  if (landed === null) return null;
  const { meta } = landed;
  if (!meta) throw new OspreyError("RPC_ENDPOINT_ERROR", "The landed transaction has no meta.");
  // v0 messages: static keys, then loaded writable, then loaded read-only addresses.
  const keys = [
    ...landed.transaction.message.accountKeys,
    ...(meta.loadedAddresses?.writable ?? []),
    ...(meta.loadedAddresses?.readonly ?? []),
  ];
  const lamportDelta = (account: string | null) => {
    const index = account === null ? -1 : keys.indexOf(account);
    if (index < 0) return 0n;
    return BigInt(meta.postBalances[index] ?? 0n) - BigInt(meta.preBalances[index] ?? 0n);
  };
  const budget = readBudget(keys, landed.transaction.message.instructions ?? []);
  return {
    slot: BigInt(landed.slot),
    tokenDelta:
      sumOwned(meta.postTokenBalances, parties.owner, parties.mint) -
      sumOwned(meta.preTokenBalances, parties.owner, parties.mint),
    lamportDelta: lamportDelta(parties.owner),
    feeAccountDelta: lamportDelta(parties.feeAccount),
    networkFee: BigInt(meta.fee),
    priorityFee: budget.priorityFee,
    tip: budget.tipAccount === null ? null : lamportDelta(budget.tipAccount),
    computeUnitsConsumed:
      meta.computeUnitsConsumed === undefined ? null : Number(meta.computeUnitsConsumed),
  };
}
