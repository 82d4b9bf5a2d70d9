import type { DecodedTransaction } from "./decoded-transaction.js";
import type { TransactionRecord } from "./transaction-store.js";

export interface PublicationQueue {
  /** Signatures received and not yet published (for duplicate detection). */
  has(signature: string): boolean;
  /** An executed transaction (preflight ran it), published on the next tick. */
  hold(record: TransactionRecord): void;
  /**
   * A transaction sent without preflight: executed (then published) at the next entry of the
   * slot being built, or when the slot ends if the clock is held.
   */
  defer(tx: DecodedTransaction): void;
  /** Publishes the held records, in execution order; deferred transactions wait for `flush`. */
  publishHeld(): void;
  /** The slot ends: publishes the held, then executes and publishes the deferred, in arrival order. */
  flush(): void;
}

export interface PublicationQueueOptions {
  /** Executes a deferred transaction: its record, or null when it did not land. */
  execute(tx: DecodedTransaction): TransactionRecord | null;
  publish(record: TransactionRecord): void;
  /**
   * Arranges for `run` to be called at the next entry boundary of the running slot; returns false
   * when the clock is held (the deferred then wait for the slot's end).
   */
  scheduleEntry(run: () => void): boolean;
}

/**
 * What makes the RPC write path behave like a validator's: `sendTransaction` answers with the
 * signature, and the transaction's status and notifications appear later. A preflight send ran
 * already (preflight needs its result) and is published on the next tick (a `setImmediate`
 * batch, after the response is written); a send without preflight runs at the end of the slot
 * being built, at its next entry (a leader records a slot's transactions in entries between its
 * ticks), never inside the send: web3.js's confirmTransaction checks a status once after
 * subscribing and throws, rather than reporting it, a failure that is already there.
 */
export function createPublicationQueue(options: PublicationQueueOptions): PublicationQueue {
  // Arrival order; `head` is the next to publish. A listener may send (and so publish) while a
  // flush publishes: the nested call drains the same list, keeping the order.
  let held: TransactionRecord[] = [];
  let head = 0;
  let deferred: DecodedTransaction[] = [];
  const signatures = new Set<string>();
  let scheduled = false;
  let entryScheduled = false;
  const publishHeld = () => {
    scheduled = false;
    while (head < held.length) {
      const record = held[head] as TransactionRecord;
      head += 1;
      signatures.delete(record.signature);
      options.publish(record);
    }
    held = [];
    head = 0;
  };
  // A listener may send again while this publishes: that lands in the same slot too.
  const flush = () => {
    // Whatever entry was scheduled is served now (a stale one on a held clock runs nothing).
    entryScheduled = false;
    publishHeld();
    while (deferred.length > 0) {
      const batch = deferred;
      deferred = [];
      for (const tx of batch) {
        // The signature leaves the pending set first, or the chain would call it a duplicate.
        signatures.delete(tx.signature);
        const record = options.execute(tx);
        if (record) options.publish(record);
      }
      publishHeld();
    }
  };
  return {
    has: (signature) => signatures.has(signature),
    hold(record) {
      held.push(record);
      signatures.add(record.signature);
      if (scheduled) return;
      scheduled = true;
      setImmediate(() => {
        if (scheduled) publishHeld();
      });
    },
    defer(tx) {
      deferred.push(tx);
      signatures.add(tx.signature);
      if (entryScheduled) return;
      entryScheduled = options.scheduleEntry(flush);
    },
    publishHeld,
    flush,
  };
}
