import { describe, expect, it } from "vitest";
import type { WalletId } from "../../src/core/ids.js";
import type { Json } from "../support/http-client.js";
import { TRADING_DATABASES } from "../trading/trading-setup.js";
import { createAutomatedTrader, useAutomationApp, waitTicks } from "./support/automation-setup.js";
import { currentPriceUsd, setPriceUsd } from "./support/market-mover.js";

const ordersOf = (trigger: Json) => (trigger.orders ?? []) as Json[];

describe.each(TRADING_DATABASES)("the grant at firing (%s)", (database) => {
  const ctx = useAutomationApp(database);

  it("a buy above the grant's per-order limit fails and says which limit", async () => {
    const mint = String(ctx.sandbox.stack.ready.mints.BONKY);
    const trader = await createAutomatedTrader(ctx.sandbox, ctx.server, "order-limited", {
      maxOrderLamports: 200_000_000n,
    });
    const start = currentPriceUsd(ctx.sandbox, mint);
    const created = await trader.createTrigger({
      type: "limit_buy",
      mint,
      amountLamports: "200000000",
      priceUsd: (start * 0.9).toPrecision(10),
    });
    // The user lowers the limit: the new grant replaces the old one.
    expect((await trader.grant({ maxOrderLamports: 100_000_000n })).status).toBe(201);
    await trader.waitForTrigger(String(created.id), (t) => t.status === "ARMED");
    setPriceUsd(ctx.sandbox, mint, start * 0.85);
    const failed = await trader.waitForTrigger(String(created.id), (t) => t.status === "FAILED");
    expect(failed.reasonCode).toBe("GRANT_LIMIT_EXCEEDED");
    expect(String(failed.reason)).toContain("maxOrderLamports");
    expect(ordersOf(failed)).toEqual([]);
    setPriceUsd(ctx.sandbox, mint, start);
  }, 60_000);

  it("a DCA stops at the grant's daily limit and says so", async () => {
    const mint = String(ctx.sandbox.stack.ready.mints.WIFY);
    const trader = await createAutomatedTrader(ctx.sandbox, ctx.server, "day-limited", {
      maxOrderLamports: 100_000_000n,
      maxDailyLamports: 250_000_000n,
    });
    const created = await trader.createTrigger({
      type: "dca",
      mint,
      amountLamports: "100000000",
      intervalSeconds: 1,
      count: 5,
    });
    const failed = await trader.waitForTrigger(
      String(created.id),
      (t) => t.status === "FAILED",
      200,
    );
    expect(failed.reasonCode).toBe("GRANT_LIMIT_EXCEEDED");
    expect(String(failed.reason)).toContain("maxDailyLamports");
    expect(ordersOf(failed).map((o) => o.status)).toEqual(["CONFIRMED", "CONFIRMED"]);
  }, 60_000);

  it("revoking pauses the triggers with a reason; a new grant resumes them", async () => {
    const mint = String(ctx.sandbox.stack.ready.mints.POPY);
    const trader = await createAutomatedTrader(ctx.sandbox, ctx.server, "revoker");
    const start = currentPriceUsd(ctx.sandbox, mint);
    const created = await trader.createTrigger({
      type: "limit_buy",
      mint,
      amountLamports: "100000000",
      priceUsd: (start * 0.9).toPrecision(10),
    });
    const id = String(created.id);
    expect((await trader.revoke()).status).toBe(200);
    const paused = await trader.waitForTrigger(id, (t) => t.status === "PAUSED");
    expect(paused.reasonCode).toBe("GRANT_REVOKED");
    setPriceUsd(ctx.sandbox, mint, start * 0.85);
    await waitTicks(10);
    expect(await trader.trigger(id)).toMatchObject({ status: "PAUSED", orders: [] });

    expect((await trader.grant()).status).toBe(201);
    const fired = await trader.waitForTrigger(id, (t) => t.status === "FIRED");
    expect(ordersOf(fired).map((o) => o.status)).toEqual(["CONFIRMED"]);
    setPriceUsd(ctx.sandbox, mint, start);
  }, 60_000);

  it("an expired grant cannot sign: the trigger pauses with GRANT_EXPIRED and nothing is bought", async () => {
    const mint = String(ctx.sandbox.stack.ready.mints.GLIDE);
    const trader = await createAutomatedTrader(ctx.sandbox, ctx.server, "expiring");
    const start = currentPriceUsd(ctx.sandbox, mint);
    const created = await trader.createTrigger({
      type: "limit_buy",
      mint,
      amountLamports: "100000000",
      priceUsd: (start * 0.9).toPrecision(10),
    });
    const id = String(created.id);
    // Time passes the grant's expiry (the row's clock moved, not the sealed limits).
    const { db } = ctx.server.app.store.database;
    await db
      .updateTable("automationGrants")
      .set({ expiresAt: Date.now() - 1_000 })
      .where("walletId", "=", trader.walletId)
      .where("status", "=", "ACTIVE")
      .execute();
    setPriceUsd(ctx.sandbox, mint, start * 0.85);
    const paused = await trader.waitForTrigger(id, (t) => t.status === "PAUSED");
    expect(paused.reasonCode).toBe("GRANT_EXPIRED");
    await waitTicks(10);
    expect(await trader.trigger(id)).toMatchObject({ status: "PAUSED", orders: [] });
    expect(await trader.tokenBalance(mint)).toBe(0n);
  }, 60_000);

  it("a trigger past its expiry is expired by the sweeper and never fires", async () => {
    const mint = String(ctx.sandbox.stack.ready.mints.WIFY);
    const trader = await createAutomatedTrader(ctx.sandbox, ctx.server, "short-lived");
    const trigger = await ctx.server.app.store.triggers.create({
      userId: trader.userId,
      walletId: trader.walletId as WalletId,
      type: "take_profit",
      mint,
      decimals: 6,
      params: { type: "take_profit", size: { percent: 100 }, priceUsd: "1000000" },
      triggerPrice: "1000000",
      highWaterPrice: null,
      ocoGroup: null,
      acceptRisk: false,
      nextDueAt: null,
      expiresAt: Date.now() + 1_000,
      slippageBps: null,
    });
    const expired = await trader.waitForTrigger(trigger.id, (t) => t.status === "EXPIRED");
    expect(expired.orders).toEqual([]);
  }, 60_000);
});
