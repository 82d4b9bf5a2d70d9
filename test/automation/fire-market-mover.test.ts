import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTradingSandbox, type TradingSandbox } from "../trading/trading-setup.js";
import { currentPriceUsd, getPriceUsd, scalePrice, setPriceUsd } from "./support/market-mover.js";

describe("market mover", () => {
  let sandbox: TradingSandbox;
  beforeAll(async () => {
    sandbox = await startTradingSandbox();
  }, 120_000);
  afterAll(async () => {
    await sandbox?.close();
  });

  it("sets and scales a demo token's USD price, seen by the price API", async () => {
    const mint = String(sandbox.stack.ready.mints.BONKY);
    const before = await getPriceUsd(sandbox, mint);
    expect(before).toBeCloseTo(currentPriceUsd(sandbox, mint), 12);
    const target = before * 1.37;
    setPriceUsd(sandbox, mint, target);
    expect(Math.abs((await getPriceUsd(sandbox, mint)) / target - 1)).toBeLessThan(1e-6);
    scalePrice(sandbox, mint, 0.5);
    expect(Math.abs((await getPriceUsd(sandbox, mint)) / (target * 0.5) - 1)).toBeLessThan(1e-5);
  });
});
