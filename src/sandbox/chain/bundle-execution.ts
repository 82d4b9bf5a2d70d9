import type { DecodedTransaction } from "./decoded-transaction.js";
import type { TransactionErrorJson } from "./transaction-error.js";
import type { TransactionRecord } from "./transaction-store.js";

/** What one bundle did: every transaction landed, in order, or none did. */
export type BundleResult =
  | { landed: true; slot: bigint; records: TransactionRecord[] }
  | {
      landed: false;
      /** Index in the bundle of the transaction that failed (the rest never ran or were undone). */
      failedIndex: number;
      signature: string;
      err: TransactionErrorJson;
    };

/** One transaction executed in the slot being built, not yet published, with a way to undo it. */
export type ExecutedStep =
  | { ok: true; record: TransactionRecord; undo: () => void }
  | { ok: false; err: TransactionErrorJson; undo: (() => void) | null };

export interface BundleExecutionHooks {
  /** Executes one transaction (no preflight); its effects stay until `undo`. */
  execute(tx: DecodedTransaction): ExecutedStep;
  publish(record: TransactionRecord): void;
}

/**
 * A Jito bundle's execution: the transactions run in order in one slot, and only if every one
 * succeeds (a committed error such as a failed instruction counts as failure, unlike a plain
 * send) are they published; otherwise what ran is undone, last first, so the accounts are as
 * before the bundle and nothing of it appears in the ledger.
 */
export function executeBundle(
  txs: readonly DecodedTransaction[],
  slot: bigint,
  hooks: BundleExecutionHooks,
): BundleResult {
  const done: { record: TransactionRecord; undo: () => void }[] = [];
  for (const [index, tx] of txs.entries()) {
    const step = hooks.execute(tx);
    if (!step.ok || step.record.meta.err !== null) {
      const err = step.ok ? (step.record.meta.err as TransactionErrorJson) : step.err;
      step.undo?.();
      for (const previous of done.reverse()) previous.undo();
      return { landed: false, failedIndex: index, signature: tx.signature, err };
    }
    done.push({ record: step.record, undo: step.undo });
  }
  for (const { record } of done) hooks.publish(record);
  return { landed: true, slot, records: done.map((d) => d.record) };
}
