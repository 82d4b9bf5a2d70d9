import { describe, expect, it } from "vitest";
import type { Json } from "../support/http-client.js";
import { TRADING_DATABASES } from "../trading/trading-setup.js";
import { createAutomatedTrader, useAutomationApp, waitTicks } from "./support/automation-setup.js";
import { currentPriceUsd, setPriceUsd } from "./support/market-mover.js";

const ordersOf = (trigger: Json) => (trigger.orders ?? []) as Json[];

describe.each(TRADING_DATABASES)("DCA (%s)", (database) => {
  const ctx = useAutomationApp(database);

  it("waits outside its band, then buys N times at its interval and stops", async () => {
    const mint = String(ctx.sandbox.stack.ready.mints.BONKY);
    const trader = await createAutomatedTrader(ctx.sandbox, ctx.server, "dca-buyer");
    const start = currentPriceUsd(ctx.sandbox, mint);
    const created = await trader.createTrigger({
      type: "dca",
      mint,
      amountLamports: "50000000",
      intervalSeconds: 1,
      count: 3,
      priceMinUsd: (start * 0.9).toPrecision(10),
      priceMaxUsd: (start * 1.1).toPrecision(10),
    });
    const id = String(created.id);
    // Above the band: the buy waits.
    setPriceUsd(ctx.sandbox, mint, start * 1.2);
    await waitTicks(12);
    expect(await trader.trigger(id)).toMatchObject({ status: "ARMED", orders: [] });

    setPriceUsd(ctx.sandbox, mint, start);
    const done = await trader.waitForTrigger(id, (t) => t.status === "FIRED", 200);
    const orders = ordersOf(done);
    expect(orders.map((o) => o.status)).toEqual(["CONFIRMED", "CONFIRMED", "CONFIRMED"]);
    expect(done.firingCount).toBe(3);
    const rows = await Promise.all(
      orders.map((o) => ctx.server.app.store.orders.findById(String(o.orderId) as never)),
    );
    expect(rows.map((row) => row?.idempotencyKey)).toEqual(
      [1, 2, 3].map((n) => `trigger:${id}:${n}`),
    );
    const times = rows.map((row) => Number(row?.createdAt));
    // Each buy came an interval after the previous one was due.
    for (let i = 1; i < times.length; i++)
      expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(900);
    await waitTicks(12);
    expect(ordersOf(await trader.trigger(id))).toHaveLength(3);
  }, 60_000);
});
