import type { SandboxChain } from "../chain/sandbox-chain.js";
import type { SubscribeMethod, SubscriptionKind } from "./subscription-kind.js";
import type { Subscriber } from "./subscription-registry.js";

/** A subscribe method without params (slot, root, slotsUpdates). */
function createParamless(notification: string, subscribers: Set<Subscriber>): SubscribeMethod {
  return {
    notification,
    subscribe(_params, subscriber) {
      subscribers.add(subscriber);
      return { detach: () => subscribers.delete(subscriber) };
    },
  };
}

/**
 * slotSubscribe (each new slot), rootSubscribe (each new root: the finalized slot, one
 * notification per slot it moves) and slotsUpdatesSubscribe (a bank's life: created, frozen,
 * optimistically confirmed, rooted).
 */
export function createSlotSubscriptions(chain: SandboxChain): SubscriptionKind {
  const slots = new Set<Subscriber>();
  const roots = new Set<Subscriber>();
  const updates = new Set<Subscriber>();
  let root = chain.getSlot("finalized");

  const notifyUpdates = (tip: bigint, newRoots: bigint[]) => {
    const timestamp = chain.now();
    const frozen = tip - 1n;
    const records = chain.getTransactionsInSlot(frozen);
    const failed = records.filter((record) => record.meta.err !== null).length;
    const events: object[] = [
      { type: "frozen", slot: frozen, timestamp, stats: frozenStats(records.length, failed) },
      { type: "createdBank", slot: tip, parent: frozen, timestamp },
      { type: "optimisticConfirmation", slot: chain.getSlot("confirmed"), timestamp },
      ...newRoots.map((slot) => ({ type: "root", slot, timestamp })),
    ];
    for (const subscriber of updates) for (const event of events) subscriber.notify(event);
  };

  return {
    methods: {
      slotSubscribe: createParamless("slotNotification", slots),
      rootSubscribe: createParamless("rootNotification", roots),
      slotsUpdatesSubscribe: createParamless("slotsUpdatesNotification", updates),
    },
    onSlot(tip) {
      const finalized = chain.getSlot("finalized");
      const newRoots: bigint[] = [];
      while (root < finalized) {
        root += 1n;
        newRoots.push(root);
      }
      const slot = { parent: tip - 1n, root: finalized, slot: tip };
      for (const subscriber of slots) subscriber.notify(slot);
      for (const subscriber of roots) for (const newRoot of newRoots) subscriber.notify(newRoot);
      if (updates.size > 0) notifyUpdates(tip, newRoots);
    },
  };
}

/** The sandbox puts each transaction in its own entry. */
function frozenStats(transactions: number, failed: number) {
  return {
    numTransactionEntries: BigInt(transactions),
    numSuccessfulTransactions: BigInt(transactions - failed),
    numFailedTransactions: BigInt(failed),
    maxTransactionsPerEntry: transactions > 0 ? 1n : 0n,
  };
}
