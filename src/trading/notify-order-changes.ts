import type { OrderId, UserId } from "../core/ids.js";
import type { Logger } from "../core/logger.js";
import type { OrderEvent, OrderRecord } from "../store/repositories/orders-repository.js";
import type { Store } from "../store/store.js";
import { type OrderJson, toOrderJson } from "./order-json.js";

/** Told of every status an order takes, with the order as GET /v1/orders/:id shows it. */
export type OnOrderChange = (userId: UserId, order: OrderJson) => void | Promise<void>;

// The history as it stood at this status: a later one may already be written when it is read.
function eventsUpTo(events: readonly OrderEvent[], order: OrderRecord): OrderEvent[] {
  const at = events.findIndex((event) => event.status === order.status);
  return at === -1 ? [...events] : events.slice(0, at + 1);
}

/**
 * The store trading works with, calling `onOrderChange` after each write that gave an order a
 * status: the insert, every compare-and-set that won (engine, settler, reconciler) and the
 * confirmed fill. One order's calls keep their order; none delays the write or can fail it.
 */
export function withOrderNotifications(
  store: Store,
  onOrderChange: OnOrderChange,
  logger: Logger,
): Store {
  const tails = new Map<OrderId, Promise<void>>();

  function notify(order: OrderRecord): void {
    const next: Promise<void> = (tails.get(order.id) ?? Promise.resolve())
      .then(async () => {
        const events = await store.orders.listEvents(order.id);
        await onOrderChange(order.userId, toOrderJson(order, eventsUpTo(events, order)));
      })
      .catch((error: unknown) =>
        logger.warn({ err: error, orderId: order.id }, "order change not published"),
      )
      .finally(() => {
        if (tails.get(order.id) === next) tails.delete(order.id);
      });
    tails.set(order.id, next);
  }

  const orders: Store["orders"] = {
    ...store.orders,
    async createPending(input) {
      const result = await store.orders.createPending(input);
      if (result.created) notify(result.order);
      return result;
    },
    async transition(id, from, to, patch, detail) {
      const moved = await store.orders.transition(id, from, to, patch, detail);
      if (moved) notify(moved);
      return moved;
    },
  };
  const fills: Store["fills"] = {
    ...store.fills,
    async confirmFill(input) {
      const confirmed = await store.fills.confirmFill(input);
      if (confirmed) notify(confirmed);
      return confirmed;
    },
  };
  return { ...store, orders, fills };
}
