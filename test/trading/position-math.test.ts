import { describe, expect, it } from "vitest";
import {
  applyBuy,
  applySell,
  EMPTY_HOLDING,
  getUnrealizedPnl,
  valueAtPrice,
} from "../../src/trading/position-math.js";

describe("average-cost positions", () => {
  it("accumulates buys and releases average cost on sells", () => {
    let holding = applyBuy(EMPTY_HOLDING, 1_000n, 10_000n);
    holding = applyBuy(holding, 1_000n, 30_000n);
    expect(holding).toEqual({ amount: 2_000n, costLamports: 40_000n, realizedPnlLamports: 0n });
    holding = applySell(holding, 500n, 15_000n);
    expect(holding).toEqual({ amount: 1_500n, costLamports: 30_000n, realizedPnlLamports: 5_000n });
    holding = applySell(holding, 1_500n, 20_000n);
    expect(holding).toEqual({ amount: 0n, costLamports: 0n, realizedPnlLamports: -5_000n });
  });

  it("never lets remaining cost go negative when selling odd amounts", () => {
    let holding = applyBuy(EMPTY_HOLDING, 3n, 10n);
    holding = applySell(holding, 1n, 0n);
    holding = applySell(holding, 1n, 0n);
    holding = applySell(holding, 1n, 0n);
    expect(holding.amount).toBe(0n);
    expect(holding.costLamports).toBe(0n);
    expect(holding.realizedPnlLamports).toBe(-10n);
  });

  it("counts proceeds of tokens with no recorded cost as gain, and caps a sell at the holding", () => {
    expect(applySell(EMPTY_HOLDING, 5n, 700n).realizedPnlLamports).toBe(700n);
    const holding = applySell(applyBuy(EMPTY_HOLDING, 10n, 100n), 50n, 300n);
    expect(holding).toEqual({ amount: 0n, costLamports: 0n, realizedPnlLamports: 200n });
  });

  it("values holdings exactly and reports unrealized P&L", () => {
    expect(valueAtPrice(1_500_000n, 6, 2_000_000_000n)).toBe(3_000_000_000n);
    expect(getUnrealizedPnl({ amount: 1n, costLamports: 100n, realizedPnlLamports: 0n }, 80n)).toBe(
      -20n,
    );
  });
});
