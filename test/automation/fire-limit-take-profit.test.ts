import { describe, expect, it } from "vitest";
import type { Json } from "../support/http-client.js";
import { TRADING_DATABASES } from "../trading/trading-setup.js";
import { createAutomatedTrader, useAutomationApp, waitTicks } from "./support/automation-setup.js";
import { currentPriceUsd, setPriceUsd } from "./support/market-mover.js";

const ordersOf = (trigger: Json) => (trigger.orders ?? []) as Json[];

describe.each(TRADING_DATABASES)(
  "limit buy and take-profit fire at their price (%s)",
  (database) => {
    const ctx = useAutomationApp(database);

    it("a limit buy waits above its price and buys once at or below it", async () => {
      const mint = String(ctx.sandbox.stack.ready.mints.BONKY);
      const trader = await createAutomatedTrader(ctx.sandbox, ctx.server, "limit-buyer");
      const start = currentPriceUsd(ctx.sandbox, mint);
      const limit = start * 0.9;
      const created = await trader.createTrigger({
        type: "limit_buy",
        mint,
        amountLamports: "100000000",
        priceUsd: limit.toPrecision(10),
      });
      expect(created.status).toBe("ARMED");
      const id = String(created.id);

      setPriceUsd(ctx.sandbox, mint, start * 0.95);
      await waitTicks();
      const waiting = await trader.trigger(id);
      expect(waiting.status).toBe("ARMED");
      expect(ordersOf(waiting)).toEqual([]);

      setPriceUsd(ctx.sandbox, mint, start * 0.85);
      const fired = await trader.waitForTrigger(id, (t) => t.status === "FIRED");
      const orders = ordersOf(fired);
      expect(orders).toHaveLength(1);
      expect(orders[0]?.status).toBe("CONFIRMED");
      const order = await trader.get(`/v1/orders/${String(orders[0]?.orderId)}`);
      expect(order.body).toMatchObject({ side: "buy", mint, status: "CONFIRMED", triggerId: id });
      const row = await ctx.server.app.store.orders.findById(String(orders[0]?.orderId) as never);
      expect(row?.idempotencyKey).toBe(`trigger:${id}:1`);
      expect(await trader.tokenBalance(mint)).toBeGreaterThan(0n);
      // Still below its price: it does not buy again.
      await waitTicks();
      expect(ordersOf(await trader.trigger(id))).toHaveLength(1);
      const metrics = await (await fetch(`${ctx.server.url}/metrics`)).text();
      expect(metrics).toMatch(/osprey_trigger_firings_total\{type="limit_buy"\} [1-9]/);
      expect(metrics).toMatch(/osprey_trigger_crossing_to_send_seconds_count [1-9]/);
      expect(metrics).toMatch(/osprey_trigger_price_feed_lag_seconds \d/);
    }, 60_000);

    it("a take-profit waits below its price and sells once at or above it", async () => {
      const mint = String(ctx.sandbox.stack.ready.mints.WIFY);
      const trader = await createAutomatedTrader(ctx.sandbox, ctx.server, "profit-taker");
      const bought = await trader.order(
        { side: "buy", mint, amountLamports: "200000000" },
        "tp-buy",
      );
      expect((await trader.settle(String(bought.body.id))).status).toBe("CONFIRMED");
      const holding = await trader.tokenBalance(mint);
      const start = currentPriceUsd(ctx.sandbox, mint);
      const created = await trader.createTrigger({
        type: "take_profit",
        mint,
        percent: 50,
        priceUsd: (start * 1.2).toPrecision(10),
      });
      const id = String(created.id);

      setPriceUsd(ctx.sandbox, mint, start * 1.15);
      await waitTicks();
      expect(await trader.trigger(id)).toMatchObject({ status: "ARMED", orders: [] });

      setPriceUsd(ctx.sandbox, mint, start * 1.3);
      const fired = await trader.waitForTrigger(id, (t) => t.status === "FIRED");
      expect(ordersOf(fired).map((o) => o.status)).toEqual(["CONFIRMED"]);
      const order = await trader.get(`/v1/orders/${String(ordersOf(fired)[0]?.orderId)}`);
      expect(order.body).toMatchObject({
        side: "sell",
        triggerId: id,
        amountIn: String(holding / 2n),
      });
    }, 60_000);
  },
);
