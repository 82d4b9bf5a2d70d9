import type { OrderStatus } from "../core/order-status.js";
import { canTransitionIn, getSourcesIn } from "../core/write-ahead-lifecycle.js";

/**
 * The order state machine in one table: each status and where it may go. REJECTED is only
 * reachable before anything was signed; after SIGNED only the chain decides the outcome.
 */
export const ORDER_TRANSITIONS = {
  PENDING: ["QUOTED", "REJECTED"],
  QUOTED: ["SIGNED", "REJECTED"],
  SIGNED: ["SUBMITTED", "CONFIRMED", "FAILED", "EXPIRED"],
  SUBMITTED: ["CONFIRMED", "FAILED", "EXPIRED"],
  CONFIRMED: [],
  FAILED: [],
  EXPIRED: [],
  REJECTED: [],
} as const satisfies Record<OrderStatus, readonly OrderStatus[]>;

/** Every status that may move to `to`: the `from` set of the store's compare-and-set. */
export function getSourceStatuses(to: OrderStatus): OrderStatus[] {
  return getSourcesIn<OrderStatus>(ORDER_TRANSITIONS, to);
}

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return canTransitionIn<OrderStatus>(ORDER_TRANSITIONS, from, to);
}
