import { expect, it } from "vitest";
import type { UserId } from "../../src/core/ids.js";
import { createLogger } from "../../src/core/logger.js";
import { withOrderNotifications } from "../../src/trading/notify-order-changes.js";
import type { OrderJson } from "../../src/trading/order-json.js";
import { describeEachDatabase } from "../support/databases.js";
import { createFakeClock } from "../support/fake-clock.js";
import { createUserWithWallet, useTestStore } from "../support/test-store.js";

describeEachDatabase("order change notifications", (testDb) => {
  const clock = createFakeClock();
  const env = useTestStore(testDb, clock);

  it("tells of every status write that won, in order, and of none that lost", async () => {
    const heard: { userId: UserId; order: OrderJson }[] = [];
    let settle: () => void = () => {};
    const allHeard = new Promise<void>((resolve) => {
      settle = resolve;
    });
    const store = withOrderNotifications(
      env.store,
      async (userId, order) => {
        heard.push({ userId, order });
        if (order.status === "EXPIRED") settle();
      },
      createLogger({ level: "silent" }),
    );
    const { userId, walletId } = await createUserWithWallet(env.store, "notified");
    const pending = {
      userId,
      walletId,
      side: "buy",
      mint: "So11111111111111111111111111111111111111112",
      idempotencyKey: "k1",
      requestHash: "h",
      amountIn: 1_000n,
      slippageBps: 100,
    } as const;
    const { order } = await store.orders.createPending({
      ...pending,
      quoted: { minAmountOut: 1n },
    });
    // A retry with the same key writes nothing, so tells nothing.
    await store.orders.createPending(pending);
    await store.orders.transition(order.id, ["QUOTED"], "SIGNED", { signature: "s" });
    // Lost compare-and-set (as a second worker's would be): no notification.
    expect(await store.orders.transition(order.id, ["QUOTED"], "SIGNED")).toBeUndefined();
    await store.orders.transition(order.id, ["SIGNED"], "SUBMITTED");
    await store.orders.transition(order.id, ["SIGNED", "SUBMITTED"], "EXPIRED", {
      error: "expired",
    });
    await allHeard;
    expect(heard.map((h) => [h.userId, h.order.status])).toEqual([
      [userId, "QUOTED"],
      [userId, "SIGNED"],
      [userId, "SUBMITTED"],
      [userId, "EXPIRED"],
    ]);
    // Each carries the history as it stood at its own status.
    expect(heard.map((h) => h.order.events.map((e) => e.status))).toEqual([
      ["PENDING", "QUOTED"],
      ["PENDING", "QUOTED", "SIGNED"],
      ["PENDING", "QUOTED", "SIGNED", "SUBMITTED"],
      ["PENDING", "QUOTED", "SIGNED", "SUBMITTED", "EXPIRED"],
    ]);
    expect(heard[3]?.order.error).toBe("expired");
  });

  it("never fails the write when the hook fails", async () => {
    const store = withOrderNotifications(
      env.store,
      () => Promise.reject(new Error("bus down")),
      createLogger({ level: "silent" }),
    );
    const { userId, walletId } = await createUserWithWallet(env.store, "unheard");
    const { order, created } = await store.orders.createPending({
      userId,
      walletId,
      side: "sell",
      mint: "So11111111111111111111111111111111111111112",
      idempotencyKey: "k2",
      requestHash: "h",
      amountIn: 5n,
      slippageBps: 100,
    });
    expect(created).toBe(true);
    expect((await store.orders.transition(order.id, ["PENDING"], "REJECTED"))?.status).toBe(
      "REJECTED",
    );
  });
});
