import { describe, expect, it } from "vitest";
import { formatPriceUsd } from "../../src/automation/watch/trigger-evaluator.js";
import type { UserId, WalletId } from "../../src/core/ids.js";
import { getOrderRequestHash, parseOrderRequest } from "../../src/trading/order-request.js";
import type { Json } from "../support/http-client.js";
import { TRADING_DATABASES } from "../trading/trading-setup.js";
import {
  type AutomatedTrader,
  createAutomatedTrader,
  useAutomationApp,
  waitTicks,
} from "./support/automation-setup.js";
import { currentPriceUsd, setPriceUsd } from "./support/market-mover.js";

const ordersOf = (trigger: Json) => (trigger.orders ?? []) as Json[];

describe.each(TRADING_DATABASES)(
  "a claimed firing left behind is resumed once (%s)",
  (database) => {
    const ctx = useAutomationApp(database);

    /** An armed limit buy far below the price (the watcher never fires it), claimed by a dead instance. */
    async function claimedByDeadInstance(trader: AutomatedTrader, mint: string) {
      const created = await trader.createTrigger({
        type: "limit_buy",
        mint,
        amountLamports: "100000000",
        priceUsd: formatPriceUsd(currentPriceUsd(ctx.sandbox, mint) * 0.01),
      });
      const claim = await ctx.server.app.store.triggerFirings.claim({
        triggerId: String(created.id),
        leaseOwner: "dead-instance",
        leaseMs: 200,
        crossedAt: Date.now(),
        request: { side: "buy", mint, amountLamports: "100000000" },
        spendLamports: 100_000_000n,
      });
      if (claim.outcome !== "claimed") throw new Error(`not claimed: ${claim.outcome}`);
      return { id: String(created.id), firing: claim.firing };
    }

    it("places the claimed order with the same firing number when the lease runs out", async () => {
      const mint = String(ctx.sandbox.stack.ready.mints.BONKY);
      const trader = await createAutomatedTrader(ctx.sandbox, ctx.server, "orphaned");
      const before = currentPriceUsd(ctx.sandbox, mint);
      const { id } = await claimedByDeadInstance(trader, mint);
      // A resumed firing checks its executable price as a fresh one does: the price crosses.
      setPriceUsd(ctx.sandbox, mint, before * 0.005);
      const fired = await trader.waitForTrigger(id, (t) => t.status === "FIRED");
      setPriceUsd(ctx.sandbox, mint, before);
      expect(fired.firingCount).toBe(1);
      const orders = ordersOf(fired);
      expect(orders.map((o) => o.status)).toEqual(["CONFIRMED"]);
      const row = await ctx.server.app.store.orders.findById(String(orders[0]?.orderId) as never);
      expect(row?.idempotencyKey).toBe(`trigger:${id}:1`);
    }, 60_000);

    it("gives back a claimed firing whose executable price no longer crosses: nothing is placed unchecked", async () => {
      const mint = String(ctx.sandbox.stack.ready.mints.POPY);
      const trader = await createAutomatedTrader(ctx.sandbox, ctx.server, "uncrossed");
      // Claimed at a price 1% of the market's: the resumed firing's check refuses it.
      const { id } = await claimedByDeadInstance(trader, mint);
      const back = await trader.waitForTrigger(id, (t) => t.status === "ARMED");
      expect(back).toMatchObject({ firingCount: 0, orders: [] });
      await waitTicks(10);
      expect(await trader.trigger(id)).toMatchObject({ status: "ARMED", orders: [] });
      const all = (await trader.get("/v1/orders")).body.orders as Json[];
      expect(all.filter((o) => o.triggerId === id)).toHaveLength(0);
    }, 60_000);

    it("finds the order the dead instance already placed instead of placing another", async () => {
      const mint = String(ctx.sandbox.stack.ready.mints.WIFY);
      const trader = await createAutomatedTrader(ctx.sandbox, ctx.server, "half-done");
      const { id, firing } = await claimedByDeadInstance(trader, mint);
      const { app } = ctx.server;
      const grant = await app.store.automationGrants.findById(firing.grantId);
      if (!grant || !app.trading) throw new Error("no grant or trading");
      // What the dead instance did before dying: the order went out, the firing row was not updated.
      const placed = await app.trading.engine.placeOrder({
        userId: trader.userId as UserId,
        key: app.automation.grants.keySource(grant, {
          triggerId: id,
          firingNumber: firing.firingNumber,
          idempotencyKey: firing.idempotencyKey,
        }),
        idempotencyKey: firing.idempotencyKey,
        body: firing.request,
        triggerId: id,
      });
      const fired = await trader.waitForTrigger(id, (t) => t.status === "FIRED");
      expect(ordersOf(fired).map((o) => o.orderId)).toEqual([placed.order.id]);
      const all = (await trader.get("/v1/orders")).body.orders as Json[];
      expect(all.filter((o) => o.triggerId === id)).toHaveLength(1);
    }, 60_000);

    it("an order abandoned before signing (a crash) arms the trigger again for a new firing", async () => {
      const mint = String(ctx.sandbox.stack.ready.mints.GLIDE);
      const trader = await createAutomatedTrader(ctx.sandbox, ctx.server, "abandoned");
      const { id, firing } = await claimedByDeadInstance(trader, mint);
      const { store } = ctx.server.app;
      // The dead instance wrote the order, then died before signing; the reconciler rejected it.
      const request = parseOrderRequest(firing.request);
      const { order } = await store.orders.createPending({
        userId: trader.userId,
        walletId: trader.walletId as WalletId,
        side: "buy",
        mint,
        idempotencyKey: firing.idempotencyKey,
        requestHash: getOrderRequestHash(trader.walletId as WalletId, request),
        amountIn: 100_000_000n,
        slippageBps: 100,
        triggerId: id,
      });
      await store.orders.transition(
        order.id,
        ["PENDING"],
        "REJECTED",
        { error: "Abandoned before signing (the server stopped); nothing was sent." },
        { reason: "reconciler" },
      );
      // Armed again by the resumed firing (nothing was sent); then its price is reached: firing 2.
      const rearmed = await trader.waitForTrigger(id, (t) => t.status === "ARMED");
      expect(rearmed.orders).toEqual([expect.objectContaining({ status: "REJECTED" })]);
      setPriceUsd(ctx.sandbox, mint, currentPriceUsd(ctx.sandbox, mint) * 0.005);
      const fired = await trader.waitForTrigger(id, (t) => t.status === "FIRED");
      expect(ordersOf(fired).map((o) => o.status)).toEqual(["REJECTED", "CONFIRMED"]);
      const second = await store.orders.findById(String(ordersOf(fired)[1]?.orderId) as never);
      expect(second?.idempotencyKey).toBe(`trigger:${id}:2`);
    }, 60_000);

    it("two claims of one crossing: one wins", async () => {
      const mint = String(ctx.sandbox.stack.ready.mints.POPY);
      const trader = await createAutomatedTrader(ctx.sandbox, ctx.server, "racer");
      const created = await trader.createTrigger({
        type: "limit_buy",
        mint,
        amountLamports: "100000000",
        priceUsd: formatPriceUsd(currentPriceUsd(ctx.sandbox, mint) * 0.01),
      });
      const claim = () =>
        ctx.server.app.store.triggerFirings.claim({
          triggerId: String(created.id),
          leaseOwner: "racer",
          leaseMs: 60_000,
          crossedAt: Date.now(),
          request: { side: "buy", mint, amountLamports: "100000000" },
          spendLamports: 100_000_000n,
        });
      const outcomes = await Promise.all([claim(), claim(), claim()]);
      expect(outcomes.filter((o) => o.outcome === "claimed")).toHaveLength(1);
      expect(outcomes.filter((o) => o.outcome === "not_armed")).toHaveLength(2);
    }, 60_000);
  },
);
