import type { Address } from "@solana/kit";
import type { DecodedTransaction } from "../chain/decoded-transaction.js";
import { MIN_TIP_LAMPORTS } from "./tip-accounts.js";

/** Jito's limit on transactions per bundle. */
export const MAX_BUNDLE_TRANSACTIONS = 5;
/** Jito's sandwich guard: a transaction naming such an account is first in any bundle. */
export const DONT_FRONT_PREFIX = "jitodontfront";

const SYSTEM_PROGRAM = "11111111111111111111111111111111";
const SYSTEM_TRANSFER = 2;
const SYSTEM_TRANSFER_WITH_SEED = 11;

/** A bundle the block engine will not take, with the words it answers (JSON-RPC -32602). */
export class BundleRefusal extends Error {}

/** Messages as Jito words them where it has words; the sandbox's own otherwise (SANDBOX.md). */
export const REFUSALS = {
  empty: "bundle must contain at least one transaction",
  tooMany: `exceeded maximum number of transactions in bundle (${MAX_BUNDLE_TRANSACTIONS})`,
  duplicate: "bundle contains duplicate transactions",
  noTip: "Bundles must write lock at least one tip account to be eligible for the auction.",
  lowTip: (lamports: bigint) =>
    `bundle tip of ${lamports} lamports is below the minimum tip of ${MIN_TIP_LAMPORTS} lamports`,
  dontFront: (index: number) =>
    `transaction ${index} holds a ${DONT_FRONT_PREFIX} account and must be first in the bundle`,
} as const;

function readU32(data: Uint8Array): number {
  return new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(0, true);
}

function readU64(data: Uint8Array, offset: number): bigint {
  return new DataView(data.buffer, data.byteOffset, data.byteLength).getBigUint64(offset, true);
}

/** Lamports a transaction pays to tip accounts through top-level System transfers. */
export function getTipLamports(tx: DecodedTransaction, tipAccounts: ReadonlySet<string>): bigint {
  let total = 0n;
  for (const ix of tx.instructions) {
    if (tx.accountKeys[ix.programIdIndex] !== SYSTEM_PROGRAM || ix.data.length < 12) continue;
    const kind = readU32(ix.data);
    // Transfer: [from, to]; TransferWithSeed: [from, base, to].
    const toIndex =
      kind === SYSTEM_TRANSFER
        ? ix.accounts[1]
        : kind === SYSTEM_TRANSFER_WITH_SEED
          ? ix.accounts[2]
          : undefined;
    const to = toIndex === undefined ? undefined : tx.accountKeys[toIndex];
    if (to !== undefined && tipAccounts.has(to)) total += readU64(ix.data, 4);
  }
  return total;
}

function writeLocksTipAccount(tx: DecodedTransaction, tipAccounts: ReadonlySet<string>): boolean {
  return tx.accountKeys.some((key, i) => tx.isWritable[i] === true && tipAccounts.has(key));
}

export function holdsDontFront(tx: DecodedTransaction): boolean {
  return tx.accountKeys.some((key) => key.startsWith(DONT_FRONT_PREFIX));
}

/**
 * Jito's ingress checks, before a bundle enters the auction: 1–5 distinct transactions, at
 * least one write-locking a tip account, a `jitodontfront` transaction only first. The sandbox
 * adds the 1,000-lamport minimum here (Jito drops a smaller tip in its auction), counting
 * top-level System transfers to tip accounts. Returns the tip.
 */
export function checkBundle(
  txs: readonly DecodedTransaction[],
  tipAccounts: ReadonlySet<Address>,
): { tipLamports: bigint } {
  if (txs.length === 0) throw new BundleRefusal(REFUSALS.empty);
  if (txs.length > MAX_BUNDLE_TRANSACTIONS) throw new BundleRefusal(REFUSALS.tooMany);
  if (new Set(txs.map((tx) => tx.signature)).size !== txs.length) {
    throw new BundleRefusal(REFUSALS.duplicate);
  }
  const misplaced = txs.findIndex((tx, i) => i > 0 && holdsDontFront(tx));
  if (misplaced > 0) throw new BundleRefusal(REFUSALS.dontFront(misplaced));
  if (!txs.some((tx) => writeLocksTipAccount(tx, tipAccounts))) {
    throw new BundleRefusal(REFUSALS.noTip);
  }
  const tipLamports = txs.reduce((sum, tx) => sum + getTipLamports(tx, tipAccounts), 0n);
  if (tipLamports < MIN_TIP_LAMPORTS) throw new BundleRefusal(REFUSALS.lowTip(tipLamports));
  return { tipLamports };
}
