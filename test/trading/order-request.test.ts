import { describe, expect, it } from "vitest";
import type { WalletId } from "../../src/core/ids.js";
import { isOspreyError } from "../../src/core/osprey-error.js";
import { getOrderRequestHash, parseOrderRequest } from "../../src/trading/order-request.js";

const MINT = "4Nd1mBQtrMJVYVfKf2PJy9NZUZdTAsp7D4xWLs4gDB4T";
const WALLET = "01900000-0000-7000-8000-000000000000" as WalletId;

function refusal(input: unknown): string {
  try {
    parseOrderRequest(input);
  } catch (error) {
    if (isOspreyError(error, "INVALID_INPUT")) return error.message;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(input)}`);
}

describe("order requests", () => {
  it("parses a buy with defaults and exact amounts", () => {
    expect(
      parseOrderRequest({ side: "buy", mint: MINT, amountLamports: "18446744073709551615" }),
    ).toEqual({
      side: "buy",
      mint: MINT,
      amountLamports: 18446744073709551615n,
      slippageBps: 100,
      acceptRisk: false,
    });
  });

  it("parses a sell by amount or by percent", () => {
    expect(
      parseOrderRequest({ side: "sell", mint: MINT, percent: 50, slippageBps: 300 }),
    ).toMatchObject({ percent: 50 });
    expect(parseOrderRequest({ side: "sell", mint: MINT, amount: "5" })).toMatchObject({
      amount: 5n,
    });
  });

  it.each([
    ["an unknown side", { side: "short", mint: MINT, amountLamports: "1" }],
    ["a bad mint", { side: "buy", mint: "xyz", amountLamports: "1" }],
    ["zero", { side: "buy", mint: MINT, amountLamports: "0" }],
    ["a negative amount", { side: "buy", mint: MINT, amountLamports: "-5" }],
    ["a fractional amount", { side: "buy", mint: MINT, amountLamports: "1.5" }],
    ["a number instead of a string", { side: "buy", mint: MINT, amountLamports: 1000 }],
    ["an amount above 2^64", { side: "buy", mint: MINT, amountLamports: "18446744073709551616" }],
    ["a huge amount", { side: "buy", mint: MINT, amountLamports: "9".repeat(40) }],
    ["slippage 0", { side: "buy", mint: MINT, amountLamports: "1", slippageBps: 0 }],
    ["slippage above 5000", { side: "buy", mint: MINT, amountLamports: "1", slippageBps: 5001 }],
    ["fractional slippage", { side: "buy", mint: MINT, amountLamports: "1", slippageBps: 1.5 }],
    ["percent 0", { side: "sell", mint: MINT, percent: 0 }],
    ["percent 101", { side: "sell", mint: MINT, percent: 101 }],
    ["a sell with both amount and percent", { side: "sell", mint: MINT, percent: 5, amount: "1" }],
    ["a sell with neither", { side: "sell", mint: MINT }],
    ["an unknown field", { side: "buy", mint: MINT, amountLamports: "1", leverage: 10 }],
    ["not an object", "buy"],
  ])("refuses %s", (_, input) => {
    expect(refusal(input).length).toBeGreaterThan(15);
  });

  it("hashes what makes an order, so a reused key with other parameters differs", () => {
    const buy = parseOrderRequest({ side: "buy", mint: MINT, amountLamports: "1000" });
    const same = parseOrderRequest({
      side: "buy",
      mint: MINT,
      amountLamports: "1000",
      slippageBps: 100,
    });
    const other = parseOrderRequest({ side: "buy", mint: MINT, amountLamports: "1001" });
    expect(getOrderRequestHash(WALLET, buy)).toBe(getOrderRequestHash(WALLET, same));
    expect(getOrderRequestHash(WALLET, buy)).not.toBe(getOrderRequestHash(WALLET, other));
  });
});
