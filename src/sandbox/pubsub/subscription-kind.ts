import type { Commitment } from "../chain/commitment.js";
import type { TransactionRecord } from "../chain/transaction-store.js";
import type { ActiveSubscription, Subscriber } from "./subscription-registry.js";

/** One `*Subscribe` method: validates its params (throwing RpcError) and indexes the subscription. */
export interface SubscribeMethod {
  /** The notification's method name, e.g. "logsNotification". */
  notification: string;
  subscribe(params: unknown, subscriber: Subscriber): ActiveSubscription;
}

/** A family of subscriptions (logs, program, …) and what it reacts to. */
export interface SubscriptionKind {
  methods: Record<string, SubscribeMethod>;
  /**
   * Transactions that just reached `commitment` (one just published, or a slot's worth), with
   * the slot of the bank at that commitment: the notifications' context slot, as agave reports.
   */
  deliver?(records: readonly TransactionRecord[], commitment: Commitment, slot: bigint): void;
  /** A new tip slot. */
  onSlot?(slot: bigint): void;
}
