import type { EventBus } from "./event-types.js";

type Json = Readonly<Record<string, unknown>>;

// Statuses after which a wallet's balances differ: a fill, or fees spent on a failed send.
const BALANCE_CHANGING = new Set(["CONFIRMED", "FAILED"]);

/**
 * An `order` or `withdrawal` event with the change's JSON, then a `balance` event when the change
 * ended with the wallet's balances changed.
 */
function createChangePublisher(bus: Pick<EventBus, "publish">, type: "order" | "withdrawal") {
  return async (userId: string, change: Json): Promise<void> => {
    await bus.publish(userId, { type, data: change });
    const walletId = typeof change.walletId === "string" ? change.walletId : undefined;
    if (walletId && BALANCE_CHANGING.has(String(change.status)))
      await bus.publish(userId, { type: "balance", data: { walletId } });
  };
}

/**
 * The trading hook `onOrderChange(userId, orderJson)`: an `order` event on every status change,
 * and a `balance` event when the order ended with balances changed.
 */
export function createOrderChangePublisher(bus: Pick<EventBus, "publish">) {
  return createChangePublisher(bus, "order");
}

/** The withdrawals hook `onWithdrawalChange(userId, withdrawalJson)`, the same for withdrawals. */
export function createWithdrawalChangePublisher(bus: EventBus) {
  return createChangePublisher(bus, "withdrawal");
}
