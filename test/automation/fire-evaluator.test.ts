import { describe, expect, it } from "vitest";
import {
  createTriggerEvaluator,
  formatPriceUsd,
  type WatchedTrigger,
} from "../../src/automation/watch/trigger-evaluator.js";

const MINT = "Mint1111111111111111111111111111111111111111";
const OTHER = "Mint2222222222222222222222222222222222222222";

function trigger(id: string, fields: Partial<WatchedTrigger>): WatchedTrigger {
  return {
    id,
    type: "limit_buy",
    mint: MINT,
    params: { type: "limit_buy", amountLamports: 1n, priceUsd: "1" },
    triggerPrice: null,
    highWaterPrice: null,
    nextDueAt: null,
    updatedAt: 1,
    ...fields,
  };
}

const at = (usd: number, mint = MINT) => new Map([[mint, { usd, at: 0 }]]);

describe("trigger evaluator", () => {
  it("fires limit buys at or below, take-profits at or above, stop-losses at or below", () => {
    const evaluator = createTriggerEvaluator();
    evaluator.add(trigger("buy", { triggerPrice: "0.5" }));
    evaluator.add(
      trigger("tp", {
        type: "take_profit",
        triggerPrice: "2",
        params: { type: "take_profit", size: { percent: 100 }, priceUsd: "2" },
      }),
    );
    evaluator.add(
      trigger("sl", {
        type: "stop_loss",
        triggerPrice: "0.8",
        params: { type: "stop_loss", size: { percent: 100 }, priceUsd: "0.8" },
      }),
    );
    expect(evaluator.evaluate(at(1), 150, 10).crossings).toEqual([]);
    expect(evaluator.evaluate(at(1.9999), 150, 11).crossings).toEqual([]);
    const tp = evaluator.evaluate(at(2), 150, 12).crossings;
    expect(tp.map((c) => c.trigger.id)).toEqual(["tp"]);
    expect(tp[0]).toMatchObject({ priceUsd: 2, solUsd: 150, crossedAt: 12 });
    // A crossing leaves the index: it does not cross again on the next tick.
    expect(evaluator.evaluate(at(3), 150, 13).crossings).toEqual([]);
    expect(evaluator.evaluate(at(0.8), 150, 14).crossings.map((c) => c.trigger.id)).toEqual(["sl"]);
    expect(evaluator.evaluate(at(0.5), 150, 15).crossings.map((c) => c.trigger.id)).toEqual([
      "buy",
    ]);
    expect(evaluator.size).toBe(0);
  });

  it("evaluates only mints with a price in this tick", () => {
    const evaluator = createTriggerEvaluator();
    evaluator.add(trigger("buy", { triggerPrice: "0.5" }));
    expect(evaluator.evaluate(at(0.1, OTHER), 150, 1).crossings).toEqual([]);
    expect(evaluator.evaluate(new Map(), 150, 1).crossings).toEqual([]);
    expect(evaluator.mints()).toEqual([MINT]);
  });

  it("raises a trailing stop's high-water once per tick and fires on the fall", () => {
    const evaluator = createTriggerEvaluator();
    const trailing = trigger("trail", {
      type: "trailing_stop",
      highWaterPrice: "1",
      params: { type: "trailing_stop", size: { percent: 50 }, trailPercent: 10 },
    });
    evaluator.add(trailing);
    expect(evaluator.evaluate(at(0.91), 150, 1)).toEqual({ crossings: [], highWaters: [] });
    const rise = evaluator.evaluate(at(1.5), 150, 2);
    expect(rise).toEqual({ crossings: [], highWaters: [{ triggerId: "trail", priceUsd: "1.5" }] });
    // Same row version re-added (a reload): the raised mark is kept.
    evaluator.replace([trailing]);
    expect(evaluator.evaluate(at(1.36), 150, 3).crossings).toEqual([]);
    expect(evaluator.evaluate(at(1.35), 150, 4).crossings.map((c) => c.trigger.id)).toEqual([
      "trail",
    ]);
  });

  it("starts a trailing stop with no high-water at the first price", () => {
    const evaluator = createTriggerEvaluator();
    evaluator.add(
      trigger("trail", {
        type: "trailing_stop",
        params: { type: "trailing_stop", size: { amount: 5n }, trailPercent: 20 },
      }),
    );
    expect(evaluator.evaluate(at(2), 150, 1).highWaters).toEqual([
      { triggerId: "trail", priceUsd: "2" },
    ]);
    expect(evaluator.evaluate(at(1.6), 150, 2).crossings).toHaveLength(1);
  });

  it("fires a DCA when due and inside its band; outside, it waits", () => {
    const evaluator = createTriggerEvaluator();
    const dca = trigger("dca", {
      type: "dca",
      nextDueAt: 1_000,
      params: {
        type: "dca",
        amountLamports: 1n,
        intervalMs: 60_000,
        count: 3,
        priceMinUsd: "1",
        priceMaxUsd: "2",
      },
    });
    evaluator.add(dca);
    expect(evaluator.evaluate(at(1.5), 150, 999).crossings).toEqual([]);
    expect(evaluator.evaluate(at(2.5), 150, 5_000).crossings).toEqual([]);
    expect(evaluator.evaluate(at(0.5), 150, 5_000).crossings).toEqual([]);
    expect(evaluator.evaluate(at(2), 150, 5_000).crossings).toHaveLength(1);
  });

  it("replaces the index, dropping triggers no longer armed and recompiling changed rows", () => {
    const evaluator = createTriggerEvaluator();
    evaluator.replace([trigger("a", { triggerPrice: "1" }), trigger("b", { triggerPrice: "1" })]);
    evaluator.replace([trigger("b", { triggerPrice: "3", updatedAt: 2 })]);
    expect(evaluator.size).toBe(1);
    expect(evaluator.evaluate(at(2), 150, 1).crossings.map((c) => c.trigger.id)).toEqual(["b"]);
    expect(evaluator.countByType()).toEqual(new Map());
  });

  it("formats prices as plain decimals", () => {
    expect(formatPriceUsd(0.000012345)).toBe("0.000012345");
    expect(formatPriceUsd(150)).toBe("150");
    expect(formatPriceUsd(1.5e-12)).toBe("0.0000000000015");
  });
});
