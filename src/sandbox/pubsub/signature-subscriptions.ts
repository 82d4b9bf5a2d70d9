import { z } from "zod";
import type { Commitment } from "../chain/commitment.js";
import type { SandboxChain } from "../chain/sandbox-chain.js";
import type { TransactionRecord } from "../chain/transaction-store.js";
import { commitmentSchema, optionalConfig, parseParams } from "../rpc/params.js";
import { getSubscribeCommitment, parseSignature } from "./pubsub-params.js";
import { createCommitmentIndexes } from "./subscription-index.js";
import type { SubscriptionKind } from "./subscription-kind.js";
import type { Subscriber } from "./subscription-registry.js";

const paramsSchema = z.tuple([
  z.string(),
  optionalConfig(
    z.looseObject({
      commitment: commitmentSchema.optional(),
      enableReceivedNotification: z.boolean().optional(),
    }),
  ),
]);

interface SignatureSubscription {
  subscriber: Subscriber;
  /** Also tell when the transaction is received (here: published), before its status. */
  received: boolean;
}

/** signatureSubscribe: one notification when the transaction reaches the commitment, then done. */
export function createSignatureSubscriptions(chain: SandboxChain): SubscriptionKind {
  const indexes = createCommitmentIndexes<string, SignatureSubscription>();
  const notifyStatus = (sub: SignatureSubscription, slot: bigint, record: TransactionRecord) => {
    sub.subscriber.notify({ context: { slot }, value: { err: record.meta.err } });
    // Signature subscriptions end with their one notification, as on a validator.
    sub.subscriber.end();
  };
  const notifyReceived = (record: TransactionRecord) => {
    for (const level of ["processed", "confirmed", "finalized"] as const) {
      for (const sub of indexes[level].get(record.signature) ?? []) {
        if (!sub.received) continue;
        sub.received = false;
        sub.subscriber.notify({ context: { slot: record.slot }, value: "receivedSignature" });
      }
    }
  };
  return {
    methods: {
      signatureSubscribe: {
        notification: "signatureNotification",
        subscribe(params, subscriber) {
          const [text, config] = parseParams(paramsSchema, params);
          const signature = parseSignature(text);
          const commitment: Commitment = getSubscribeCommitment(config);
          const sub = { subscriber, received: config?.enableReceivedNotification ?? false };
          return {
            detach: indexes[commitment].add(signature, sub),
            start() {
              // Already there: notify now, with the slot of the bank at that commitment.
              const record = chain.getTransaction(signature);
              const reached = chain.getSlot(commitment);
              if (record && record.slot <= reached) notifyStatus(sub, reached, record);
            },
          };
        },
      },
    },
    deliver(records, commitment, slot) {
      const index = indexes[commitment];
      const anyPending = indexes.processed.size + indexes.confirmed.size + indexes.finalized.size;
      if (commitment === "processed" && anyPending > 0)
        for (const record of records) notifyReceived(record);
      if (index.size === 0) return;
      for (const record of records) {
        const subs = index.get(record.signature);
        if (subs) for (const sub of [...subs]) notifyStatus(sub, slot, record);
      }
    },
  };
}
