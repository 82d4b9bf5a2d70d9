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
  it("parses a buy with defaults and exact amounts; an omitted slippage is left to the settings", () => {
    expect(
      parseOrderRequest({ side: "buy", mint: MINT, amountLamports: "18446744073709551615" }),
    ).toEqual({
      side: "buy",
      mint: MINT,
      amountLamports: 18446744073709551615n,
      acceptRisk: false,
    });
  });

  it("parses the overrides of the user's settings", () => {
    expect(
      parseOrderRequest({
        side: "buy",
        mint: MINT,
        amountLamports: "1000",
        slippageBps: 300,
        priorityLevel: "veryHigh",
        maxPriorityFeeLamports: "2000000",
        mevProtection: true,
        tipLamports: "1000",
      }),
    ).toMatchObject({
      slippageBps: 300,
      priorityLevel: "veryHigh",
      maxPriorityFeeLamports: 2_000_000n,
      mevProtection: true,
      tipLamports: 1_000n,
    });
    expect(
      parseOrderRequest({ side: "sell", mint: MINT, percent: 5, tipLamports: null }),
    ).toMatchObject({ tipLamports: null });
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
    [
      "an unknown priority level",
      { side: "buy", mint: MINT, amountLamports: "1", priorityLevel: "max" },
    ],
    [
      "a priority cap of 0",
      { side: "buy", mint: MINT, amountLamports: "1", maxPriorityFeeLamports: "0" },
    ],
    [
      "a priority cap above 1 SOL",
      { side: "buy", mint: MINT, amountLamports: "1", maxPriorityFeeLamports: "1000000001" },
    ],
    [
      "a numeric priority cap",
      { side: "buy", mint: MINT, amountLamports: "1", maxPriorityFeeLamports: 5000 },
    ],
    ["a tip below 1000", { side: "buy", mint: MINT, amountLamports: "1", tipLamports: "999" }],
    [
      "a tip above 1 SOL",
      { side: "buy", mint: MINT, amountLamports: "1", tipLamports: "1000000001" },
    ],
    ["protection as a string", { side: "sell", mint: MINT, percent: 5, mevProtection: "yes" }],
    ["not an object", "buy"],
  ])("refuses %s", (_, input) => {
    expect(refusal(input).length).toBeGreaterThan(15);
  });

  it("hashes what the client sent, so a reused key with other parameters differs", () => {
    const body = { side: "buy", mint: MINT, amountLamports: "1000" };
    const hash = (input: unknown) => getOrderRequestHash(WALLET, parseOrderRequest(input));
    expect(hash(body)).toBe(hash({ ...body }));
    expect(hash(body)).not.toBe(hash({ ...body, amountLamports: "1001" }));
    // An omitted field takes the user's setting, whatever it is then: not the same as a value.
    expect(hash(body)).not.toBe(hash({ ...body, slippageBps: 100 }));
    expect(hash({ ...body, slippageBps: 100 })).toBe(hash({ ...body, slippageBps: 100 }));
    for (const override of [
      { priorityLevel: "high" },
      { maxPriorityFeeLamports: "1000" },
      { mevProtection: false },
      { tipLamports: null },
      { tipLamports: "1000" },
    ]) {
      expect(hash({ ...body, ...override })).not.toBe(hash(body));
      expect(hash({ ...body, ...override })).toBe(hash({ ...body, ...override }));
    }
    expect(hash({ ...body, tipLamports: null })).not.toBe(hash({ ...body, tipLamports: "1000" }));
  });
});
