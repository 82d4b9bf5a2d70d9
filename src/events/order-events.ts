import type { EventBus } from "./event-types.js";

type Json = Readonly<Record<string, unknown>>;

// Statuses after which a wallet's balances differ: a fill, or fees spent on a failed send.
const BALANCE_CHANGING = new Set(["CONFIRMED", "FAILED"]);

function walletOf(json: Json): string | undefined {
  return typeof json.walletId === "string" ? json.walletId : undefined;
}

/**
 * The trading hook `onOrderChange(userId, orderJson)`: an `order` event on every status change,
 * and a `balance` event when the order ended with balances changed.
 */
export function createOrderChangePublisher(bus: EventBus) {
  return async (userId: string, order: Json): Promise<void> => {
    await bus.publish(userId, { type: "order", data: order });
    const walletId = walletOf(order);
    if (walletId && BALANCE_CHANGING.has(String(order.status)))
      await bus.publish(userId, { type: "balance", data: { walletId } });
  };
}

/** The withdrawals hook `onWithdrawalChange(userId, withdrawalJson)`, the same for withdrawals. */
export function createWithdrawalChangePublisher(bus: EventBus) {
  return async (userId: string, withdrawal: Json): Promise<void> => {
    await bus.publish(userId, { type: "withdrawal", data: withdrawal });
    const walletId = walletOf(withdrawal);
    if (walletId && BALANCE_CHANGING.has(String(withdrawal.status)))
      await bus.publish(userId, { type: "balance", data: { walletId } });
  };
}
