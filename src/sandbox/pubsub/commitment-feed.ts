import type { Commitment } from "../chain/commitment.js";
import type { SandboxChain } from "../chain/sandbox-chain.js";
import type { TransactionRecord } from "../chain/transaction-store.js";
import type { SubscriptionKind } from "./subscription-kind.js";

const DEEPER = ["confirmed", "finalized"] as const;

/**
 * Feeds transactions to the subscription kinds in commitment order: at processed when a
 * transaction is published, at confirmed/finalized when its slot reaches that depth. The
 * context slot is the commitment's slot at delivery (the transaction's slot, or later), which a
 * read at that commitment with that minContextSlot then satisfies.
 */
export function attachCommitmentFeed(chain: SandboxChain, kinds: readonly SubscriptionKind[]) {
  // Highest slot whose transactions each deeper level has been fed.
  const delivered = {
    confirmed: chain.getSlot("confirmed"),
    finalized: chain.getSlot("finalized"),
  };
  const deliver = (records: readonly TransactionRecord[], commitment: Commitment) => {
    const slot = chain.getSlot(commitment);
    for (const kind of kinds) {
      try {
        kind.deliver?.(records, commitment, slot);
      } catch {
        // A notification that fails to encode must not fail the transaction that caused it.
      }
    }
  };

  const offTransaction = chain.onTransaction((record) => {
    deliver([record], "processed");
    // Published after its slot already reached a deeper level: deliver there at once.
    for (const level of DEEPER) if (record.slot <= delivered[level]) deliver([record], level);
  });
  const offSlot = chain.onSlot((tip) => {
    for (const kind of kinds) {
      try {
        kind.onSlot?.(tip);
      } catch {
        // As above: a subscriber's failure stays with the subscriber.
      }
    }
    for (const level of DEEPER) {
      const reached = chain.getSlot(level);
      while (delivered[level] < reached) {
        delivered[level] += 1n;
        const records = chain.getTransactionsInSlot(delivered[level]);
        if (records.length > 0) deliver(records, level);
      }
    }
  });
  return () => {
    offTransaction();
    offSlot();
  };
}
