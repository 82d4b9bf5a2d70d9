import { describe, expect, it } from "vitest";
import { describeTransactionError } from "../../src/trading/describe-transaction-error.js";
import { formatUsdMicros, lamportsToUsdMicros } from "../../src/trading/price-client.js";

describe("order formatting", () => {
  it("formats micro-dollars exactly, sign and all", () => {
    expect(formatUsdMicros(0n)).toBe("0.000000");
    expect(formatUsdMicros(1n)).toBe("0.000001");
    expect(formatUsdMicros(12_345_678n)).toBe("12.345678");
    expect(formatUsdMicros(-1_500_000n)).toBe("-1.500000");
    expect(formatUsdMicros(10n ** 30n)).toBe(`1${"0".repeat(24)}.000000`);
  });

  it("prices lamports at a SOL price without floats", () => {
    // 0.0085 SOL at $150.25 = $1.277125
    expect(lamportsToUsdMicros(8_500_000n, 150_250_000n)).toBe(1_277_125n);
    expect(lamportsToUsdMicros(2n ** 64n - 1n, 1_000_000n)).toBe(18_446_744_073_709_551n);
  });

  it("names the token program's frozen-account error and keeps the raw error", () => {
    const frozen = describeTransactionError({ InstructionError: [3, { Custom: 17n }] });
    expect(frozen).toMatch(/frozen/);
    expect(frozen).toMatch(/"Custom":"17"/);
    expect(describeTransactionError("InsufficientFundsForFee")).toMatch(/network fee/);
    expect(describeTransactionError({ InstructionError: [0, "InvalidAccountData"] })).toMatch(
      /InvalidAccountData/,
    );
  });
});
