import { describe, expect, it } from "vitest";
import {
  buildFiringOrder,
  executablePriceGuard,
  executablePriceUsd,
} from "../../src/automation/fire/firing-order.js";
import type { TriggerRecord } from "../../src/automation/triggers/trigger-types.js";
import type { UserId, WalletId } from "../../src/core/ids.js";
import { isOspreyError } from "../../src/core/osprey-error.js";

const MINT = "Mint1111111111111111111111111111111111111111";

function trigger(fields: Partial<TriggerRecord>): TriggerRecord {
  return {
    id: "t1",
    userId: "u" as UserId,
    walletId: "w" as WalletId,
    type: "take_profit",
    mint: MINT,
    decimals: 6,
    status: "ARMED",
    reasonCode: null,
    reason: null,
    params: { type: "take_profit", size: { percent: 100 }, priceUsd: "2" },
    triggerPrice: "2",
    highWaterPrice: null,
    ocoGroup: null,
    acceptRisk: false,
    firingNumber: 0,
    nextDueAt: null,
    leaseOwner: null,
    leaseUntil: null,
    expiresAt: 0,
    createdAt: 0,
    updatedAt: 0,
    slippageBps: null,
    ...fields,
  };
}

const noHolding = async () => {
  throw new Error("not read");
};

describe("a firing's order", () => {
  it("is a buy of the trigger's amount, spending it, with acceptRisk and slippage when set", async () => {
    const buy = trigger({
      type: "limit_buy",
      params: { type: "limit_buy", amountLamports: 250n, priceUsd: "1" },
      acceptRisk: true,
      slippageBps: 300,
    });
    expect(await buildFiringOrder(buy, noHolding)).toEqual({
      request: {
        side: "buy",
        mint: MINT,
        slippageBps: 300,
        amountLamports: "250",
        acceptRisk: true,
      },
      spendLamports: 250n,
    });
  });

  it("sells a whole percentage through the engine, a fractional one sized from the holding", async () => {
    expect((await buildFiringOrder(trigger({}), noHolding)).request).toEqual({
      side: "sell",
      mint: MINT,
      percent: 100,
    });
    const fractional = trigger({
      params: { type: "stop_loss", size: { percent: 12.5 }, priceUsd: "1" },
    });
    const order = await buildFiringOrder(fractional, async () => 1_000n);
    expect(order).toEqual({
      request: { side: "sell", mint: MINT, amount: "125" },
      spendLamports: 0n,
    });
    const amount = trigger({
      params: { type: "take_profit", size: { amount: 7n }, priceUsd: "2" },
    });
    expect((await buildFiringOrder(amount, noHolding)).request).toMatchObject({ amount: "7" });
  });

  it("computes the executable price from the plan and refuses a firing below it", () => {
    // 3 whole tokens sold for 0.04 SOL at $150: $2 each.
    const sell = { side: "sell" as const, amountIn: 3_000_000n, quotedOut: 40_000_000n };
    expect(executablePriceUsd(sell, 6, 150)).toBeCloseTo(2, 12);
    const tp = trigger({});
    expect(() => executablePriceGuard(tp, 150)(sell)).not.toThrow();
    let refused: unknown;
    try {
      executablePriceGuard(tp, 149)(sell);
    } catch (error) {
      refused = error;
    }
    expect(isOspreyError(refused, "TRIGGER_PRICE_NOT_MET")).toBe(true);
    // A buy: 0.02 SOL at $150 for 1 whole token is $3, above a $2.5 limit.
    const limit = trigger({
      type: "limit_buy",
      params: { type: "limit_buy", amountLamports: 20_000_000n, priceUsd: "2.5" },
      triggerPrice: "2.5",
    });
    const buy = { side: "buy" as const, amountIn: 20_000_000n, quotedOut: 1_000_000n };
    expect(() => executablePriceGuard(limit, 150)(buy)).toThrow();
    expect(() => executablePriceGuard(limit, 120)(buy)).not.toThrow();
  });
});
