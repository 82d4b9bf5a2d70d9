import type { DecodedTransaction } from "./decoded-transaction.js";
import type { TransactionRecord } from "./transaction-store.js";

/** A sent transaction between its receipt and its publication: executed already, or not yet. */
type Pending = { record: TransactionRecord | null } | { tx: DecodedTransaction };

export interface PublicationQueue {
  /** Signatures received and not yet published (for duplicate detection). */
  has(signature: string): boolean;
  /** An executed transaction, published on the next tick. */
  hold(record: TransactionRecord): void;
  /** A transaction executed (then published) on the next tick. */
  defer(tx: DecodedTransaction): void;
  /** Executes the deferred transactions now, so that a later execution cannot overtake them. */
  executeDeferred(): void;
  /** Executes the deferred and publishes everything, in arrival order. */
  flush(): void;
}

export interface PublicationQueueOptions {
  /** Executes a deferred transaction: its record, or null when it did not land. */
  execute(tx: DecodedTransaction): TransactionRecord | null;
  publish(record: TransactionRecord): void;
}

/**
 * What makes the RPC write path behave like a validator's: `sendTransaction` answers with the
 * signature, and the transaction's status and notifications appear on a later tick (a
 * `setImmediate` batch, after the response is written), still in the slot being built.
 */
export function createPublicationQueue(options: PublicationQueueOptions): PublicationQueue {
  // Arrival order; `head` is the next to publish. A listener may send (and so flush) while a
  // flush publishes: the nested flush drains the same queue, keeping the order.
  let pending: Pending[] = [];
  let head = 0;
  const signatures = new Set<string>();
  let scheduled = false;
  // The signature leaves the pending set while executing, or the chain would call it a duplicate.
  const run = (tx: DecodedTransaction) => {
    signatures.delete(tx.signature);
    const record = options.execute(tx);
    if (record) signatures.add(tx.signature);
    return record;
  };
  const flush = () => {
    scheduled = false;
    while (head < pending.length) {
      const item = pending[head] as Pending;
      pending[head] = { record: null };
      head += 1;
      const record = "tx" in item ? run(item.tx) : item.record;
      if (!record) continue;
      signatures.delete(record.signature);
      options.publish(record);
    }
    pending = [];
    head = 0;
  };
  const enqueue = (item: Pending, signature: string) => {
    pending.push(item);
    signatures.add(signature);
    if (!scheduled) {
      scheduled = true;
      setImmediate(() => {
        if (scheduled) flush();
      });
    }
  };
  return {
    has: (signature) => signatures.has(signature),
    hold: (record) => enqueue({ record }, record.signature),
    defer: (tx) => enqueue({ tx }, tx.signature),
    executeDeferred() {
      for (let i = head; i < pending.length; i++) {
        const item = pending[i] as Pending;
        if ("tx" in item) pending[i] = { record: run(item.tx) };
      }
    },
    flush,
  };
}
