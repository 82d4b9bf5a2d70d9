import { describe, expect, it } from "vitest";
import { type ButtonAction, decodeButton, encodeButton } from "../../src/telegram/callback-data.js";

describe("button callback data", () => {
  const owner = 5_123_456_789;

  it("round-trips every action within Telegram's 64 bytes", () => {
    const actions: ButtonAction[] = [
      { kind: "buy", lamports: 100_000_000n, owner },
      // Telegram's ids fit in 52 bits.
      { kind: "buy", lamports: 18_446_744_073_709_551_615n, owner: 4_503_599_627_370_495 },
      { kind: "buy_confirmed", lamports: 500_000_000n, owner },
      { kind: "buy_custom", owner },
      { kind: "sell", percent: 25, owner },
      { kind: "sell", percent: 100, owner },
      { kind: "refresh", owner },
    ];
    for (const action of actions) {
      const data = encodeButton(action);
      expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
      expect(decodeButton(data)).toEqual(action);
    }
  });

  it("reads what it did not write as nothing: garbage, stale formats, out-of-range values", () => {
    for (const data of [
      undefined,
      "",
      "b",
      "b.100",
      "b.0.5",
      "b.-1.5",
      "b.01.5",
      "b.1e9.5",
      "b.18446744073709551616.5",
      "s.0.5",
      "s.101.5",
      "s.50",
      "x.0",
      "x.abc",
      "q.1.5",
      "r.5.6",
      "buy:100000000",
      `b.1.${"9".repeat(70)}`,
    ])
      expect(decodeButton(data), String(data)).toBeNull();
  });
});
