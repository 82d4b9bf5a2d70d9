import { describe, expect, it } from "vitest";
import type { UserId, WalletId } from "../../src/core/ids.js";
import type { Json } from "../support/http-client.js";
import { TRADING_DATABASES } from "../trading/trading-setup.js";
import { createAutomatedTrader, useAutomationApp, waitTicks } from "./support/automation-setup.js";
import { currentPriceUsd, getSolPriceUsd, setPriceUsd } from "./support/market-mover.js";

const SOL_MINT = "So11111111111111111111111111111111111111112";
const ordersOf = (trigger: Json) => (trigger.orders ?? []) as Json[];

describe.each(TRADING_DATABASES)("the checks at firing (%s)", (database) => {
  const ctx = useAutomationApp(database);

  /** USD per whole token a sell of `amount` would get now (the sandbox's own quote). */
  async function sellPriceUsd(mint: string, amount: bigint, decimals: number) {
    const query = `inputMint=${mint}&outputMint=${SOL_MINT}&amount=${amount}&slippageBps=100`;
    const quote = (await (
      await fetch(`${ctx.sandbox.stack.ready.swapApi}/quote?${query}`)
    ).json()) as {
      outAmount: string;
    };
    const sol = Number(quote.outAmount) / 1e9;
    return (sol * (await getSolPriceUsd(ctx.sandbox))) / (Number(amount) / 10 ** decimals);
  }

  it("a take-profit whose sell would fill below its price waits while the spot price is past it", async () => {
    const mint = String(ctx.sandbox.stack.ready.mints.POPY);
    const trader = await createAutomatedTrader(
      ctx.sandbox,
      ctx.server,
      "thin-seller",
      {},
      400_000_000_000n,
    );
    // A large position in a 1,500 SOL pool: selling it all moves the price a lot.
    const bought = await trader.order(
      { side: "buy", mint, amountLamports: "150000000000" },
      "big-buy",
    );
    expect((await trader.settle(String(bought.body.id))).status).toBe("CONFIRMED");
    const holding = await trader.tokenBalance(mint);
    const start = currentPriceUsd(ctx.sandbox, mint);
    const target = start * 1.2;
    const created = await trader.createTrigger({
      type: "take_profit",
      mint,
      percent: 100,
      priceUsd: target.toPrecision(10),
    });
    const id = String(created.id);

    setPriceUsd(ctx.sandbox, mint, start * 1.25);
    // The premise: the spot price is past the trigger, the executable one is not.
    expect(await sellPriceUsd(mint, holding, 9)).toBeLessThan(target);
    await waitTicks(10);
    // Each tick claims and gives the claim back: read it between two attempts.
    const held = await trader.waitForTrigger(id, (t) => t.status === "ARMED");
    expect(held).toMatchObject({ orders: [], firingCount: 0 });
    expect(await trader.tokenBalance(mint)).toBe(holding);

    setPriceUsd(ctx.sandbox, mint, start * 2);
    expect(await sellPriceUsd(mint, holding, 9)).toBeGreaterThan(target);
    const fired = await trader.waitForTrigger(id, (t) => t.status === "FIRED");
    expect(ordersOf(fired).map((o) => o.status)).toEqual(["CONFIRMED"]);
    // The refused attempts used no firing number: the order's key is the first.
    const row = await ctx.server.app.store.orders.findById(
      String(ordersOf(fired)[0]?.orderId) as never,
    );
    expect(row?.idempotencyKey).toBe(`trigger:${id}:1`);
  }, 90_000);

  it("a limit buy of a token blocked at firing is cancelled with the failing checks", async () => {
    const mint = String(ctx.sandbox.stack.ready.risky.FREEZE);
    const trader = await createAutomatedTrader(ctx.sandbox, ctx.server, "blocked-buyer");
    const store = ctx.server.app.store;
    // The API refuses a blocked token; a trigger armed before the token turned bad is this row.
    const trigger = await store.triggers.create({
      userId: trader.userId as UserId,
      walletId: trader.walletId as WalletId,
      type: "limit_buy",
      mint,
      decimals: 6,
      params: { type: "limit_buy", amountLamports: 100_000_000n, priceUsd: "1000000" },
      triggerPrice: "1000000",
      highWaterPrice: null,
      ocoGroup: null,
      acceptRisk: false,
      nextDueAt: null,
      expiresAt: Date.now() + 86_400_000,
      slippageBps: null,
    });
    const cancelled = await trader.waitForTrigger(trigger.id, (t) => t.status === "CANCELLED");
    expect(cancelled.reasonCode).toBe("SAFETY_BLOCKED");
    expect(String(cancelled.reason)).toContain("freeze_authority");
    const orders = ordersOf(cancelled);
    expect(orders).toHaveLength(1);
    expect(orders[0]?.status).toBe("REJECTED");
    expect(await trader.tokenBalance(mint)).toBe(0n);
  }, 60_000);
});
