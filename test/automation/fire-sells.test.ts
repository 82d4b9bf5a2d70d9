import { describe, expect, it } from "vitest";
import type { Json } from "../support/http-client.js";
import { openEventStream, type SseMessage } from "../support/sse-client.js";
import { TRADING_DATABASES } from "../trading/trading-setup.js";
import {
  type AutomatedTrader,
  createAutomatedTrader,
  useAutomationApp,
  waitTicks,
} from "./support/automation-setup.js";
import { currentPriceUsd, setPriceUsd } from "./support/market-mover.js";

const ordersOf = (trigger: Json) => (trigger.orders ?? []) as Json[];

async function buy(trader: AutomatedTrader, mint: string, key: string) {
  const bought = await trader.order({ side: "buy", mint, amountLamports: "200000000" }, key);
  expect((await trader.settle(String(bought.body.id))).status).toBe("CONFIRMED");
}

describe.each(TRADING_DATABASES)("stop-loss, linked pairs and trailing stops (%s)", (database) => {
  const ctx = useAutomationApp(database);

  it("linked take-profit and stop-loss: the stop fires, the other is cancelled", async () => {
    const mint = String(ctx.sandbox.stack.ready.mints.POPY);
    const trader = await createAutomatedTrader(ctx.sandbox, ctx.server, "oco-seller");
    await buy(trader, mint, "oco-buy");
    const start = currentPriceUsd(ctx.sandbox, mint);
    const tp = await trader.createTrigger({
      type: "take_profit",
      mint,
      percent: 100,
      priceUsd: (start * 1.5).toPrecision(10),
    });
    const sl = await trader.createTrigger({
      type: "stop_loss",
      mint,
      percent: 100,
      priceUsd: (start * 0.8).toPrecision(10),
      linkedTo: tp.id,
    });
    setPriceUsd(ctx.sandbox, mint, start * 0.82);
    await waitTicks();
    expect((await trader.trigger(String(sl.id))).status).toBe("ARMED");

    setPriceUsd(ctx.sandbox, mint, start * 0.7);
    const fired = await trader.waitForTrigger(String(sl.id), (t) => t.status === "FIRED");
    expect(ordersOf(fired).map((o) => o.status)).toEqual(["CONFIRMED"]);
    const other = await trader.trigger(String(tp.id));
    expect(other).toMatchObject({
      status: "CANCELLED",
      reasonCode: "LINKED_TRIGGER_FIRED",
      orders: [],
    });
    // The price now passes the take-profit's: it stays cancelled.
    setPriceUsd(ctx.sandbox, mint, start * 2);
    await waitTicks();
    expect((await trader.trigger(String(tp.id))).status).toBe("CANCELLED");
    expect(await trader.tokenBalance(mint)).toBe(0n);
  }, 60_000);

  it("a trailing stop follows a rising price and fires on the fall from its high", async () => {
    const mint = String(ctx.sandbox.stack.ready.mints.GLIDE);
    const trader = await createAutomatedTrader(ctx.sandbox, ctx.server, "trailer");
    await buy(trader, mint, "trail-buy");
    const start = currentPriceUsd(ctx.sandbox, mint);
    const created = await trader.createTrigger({
      type: "trailing_stop",
      mint,
      amount: String((await trader.tokenBalance(mint)) / 4n),
      trailPercent: 10,
    });
    const id = String(created.id);
    const events = await openEventStream(ctx.server.url, "/v1/events", trader.headers);
    await events.waitFor((m) => m.event === "ready");
    // Up 50 %: the high-water mark follows.
    setPriceUsd(ctx.sandbox, mint, start * 1.5);
    const raised = await trader.waitForTrigger(
      id,
      (t) => Number(t.highWaterPriceUsd) >= start * 1.499,
    );
    expect(raised.status).toBe("ARMED");
    // 8 % below the new high: above the trail, nothing (it would have fired from the start price).
    setPriceUsd(ctx.sandbox, mint, start * 1.5 * 0.92);
    await waitTicks();
    expect(await trader.trigger(id)).toMatchObject({ status: "ARMED", orders: [] });
    // 12 % below the high: it fires.
    setPriceUsd(ctx.sandbox, mint, start * 1.5 * 0.88);
    const fired = await trader.waitForTrigger(id, (t) => t.status === "FIRED");
    expect(ordersOf(fired)).toHaveLength(1);
    expect(Number(fired.highWaterPriceUsd)).toBeCloseTo(start * 1.5, 6);
    // Each change reached the user's event stream: the raised mark, then the end.
    const ofTrigger = (m: SseMessage) => m.event === "trigger" && m.data.id === id;
    await events.waitFor((m) => ofTrigger(m) && Number(m.data.highWaterPriceUsd) >= start * 1.499);
    await events.waitFor((m) => ofTrigger(m) && m.data.status === "FIRED");
    events.close();
  }, 60_000);
});
