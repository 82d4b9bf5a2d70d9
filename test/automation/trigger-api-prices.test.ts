import { describe, expect, it } from "vitest";
import {
  formatPriceUsd,
  priceFromAverageCost,
} from "../../src/automation/triggers/trigger-prices.js";

describe("trigger prices", () => {
  it("writes price API numbers as plain decimals of at most 18 places", () => {
    expect(formatPriceUsd(1.23e-7)).toBe("0.000000123");
    expect(formatPriceUsd(12_345.678)).toBe("12345.678");
    expect(formatPriceUsd(1e21)).toBe("1000000000000000000000");
    expect(formatPriceUsd(4e-19)).toBeNull();
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY])
      expect(formatPriceUsd(bad)).toBeNull();
  });

  it("moves the average cost per whole token by a percentage, exactly", () => {
    // $1 for one whole token of a 3-decimal mint.
    const one = { amount: 1_000n, costUsdMicros: 1_000_000n };
    expect(priceFromAverageCost(one, 3, 50, "above")).toBe("1.5");
    expect(priceFromAverageCost(one, 3, 40, "below")).toBe("0.6");
    expect(priceFromAverageCost(one, 3, 12.345, "above")).toBe("1.12345");
    expect(priceFromAverageCost(one, 3, 1000, "above")).toBe("11");
    // 7 micro-dollars for 3 whole tokens of a 9-decimal mint: digits beyond a micro-dollar survive.
    const small = { amount: 3_000_000_000n, costUsdMicros: 7n };
    expect(priceFromAverageCost(small, 9, 10, "below")).toBe("0.0000021");
    expect(priceFromAverageCost(small, 9, 0.1, "above")).toBe("0.000002335666666666");
  });

  it("has no relative price without a cost or a holding", () => {
    expect(priceFromAverageCost({ amount: 1n, costUsdMicros: 0n }, 6, 10, "above")).toBeNull();
    expect(priceFromAverageCost({ amount: 0n, costUsdMicros: 5n }, 6, 10, "above")).toBeNull();
  });
});
