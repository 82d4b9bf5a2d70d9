import type { GetTransactionApi, Rpc, Signature } from "@solana/kit";
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
  readonly networkFee: bigint;
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
  } | null;
  readonly transaction: { readonly message: { readonly accountKeys: readonly string[] } };
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
  return {
    slot: BigInt(landed.slot),
    tokenDelta:
      sumOwned(meta.postTokenBalances, parties.owner, parties.mint) -
      sumOwned(meta.preTokenBalances, parties.owner, parties.mint),
    lamportDelta: lamportDelta(parties.owner),
    feeAccountDelta: lamportDelta(parties.feeAccount),
    networkFee: BigInt(meta.fee),
  };
}
