import { describe, expect, it } from "vitest";
import {
  assertIsAddress,
  assertIsLamports,
  assertIsSignature,
  assertIsTokenAmount,
  assertIsTokenMint,
  assertIsUserId,
  createUuidV7,
  formatUnits,
  isAddress,
  isLamports,
  isOrderId,
  isOspreyError,
  isSignature,
  isTokenMint,
  isUserId,
  isWalletId,
  lamports,
  orderId,
  parseBaseUnits,
  tokenAmount,
  U64_MAX,
} from "../../src/core/index.js";

const VALID_ADDRESS = "So11111111111111111111111111111111111111112";
const VALID_SIGNATURE =
  "5VERv8NMvzbJMEkV8xnrLkEaWRtSz9CosKDYjCJjBRnbJLgp8uirBgmQpjKhoR4tjF3ZpRzrFmBV6UjKdiSZkQUW";

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isOspreyError(error) ? error.code : "not-osprey-error";
  }
  return undefined;
}

describe("addresses", () => {
  it("accepts a 32-byte base58 key", () => {
    expect(isAddress(VALID_ADDRESS)).toBe(true);
    expect(isTokenMint(VALID_ADDRESS)).toBe(true);
    expect(isAddress("11111111111111111111111111111111")).toBe(true);
  });

  it.each([
    ["empty", ""],
    ["not a string", 42],
    ["null", null],
    ["non-base58 characters (0, O, I, l)", "0o11111111111111111111111111111111111111112"],
    ["too short (31 bytes)", "1111111111111111111111111111111"],
    ["too long", `${VALID_ADDRESS}1111`],
    ["a signature", VALID_SIGNATURE],
    ["whitespace", ` ${VALID_ADDRESS}`],
  ])("rejects %s", (_, value) => {
    expect(isAddress(value)).toBe(false);
    expect(codeOf(() => assertIsAddress(value))).toBe("INVALID_ADDRESS");
    expect(codeOf(() => assertIsTokenMint(value))).toBe("INVALID_ADDRESS");
  });
});

describe("signatures", () => {
  it("accepts 64 bytes of base58 and rejects anything else", () => {
    expect(isSignature(VALID_SIGNATURE)).toBe(true);
    for (const bad of [
      VALID_ADDRESS,
      "",
      `${VALID_SIGNATURE}x`,
      VALID_SIGNATURE.replace("5", "0"),
      7,
    ]) {
      expect(isSignature(bad)).toBe(false);
      expect(codeOf(() => assertIsSignature(bad))).toBe("INVALID_SIGNATURE");
    }
  });
});

describe("amounts", () => {
  it("holds u64 values exactly as bigint", () => {
    expect(lamports("18446744073709551615")).toBe(U64_MAX);
    expect(tokenAmount(0n)).toBe(0n);
    expect(isLamports(1n)).toBe(true);
  });

  it.each([
    ["a number", 1],
    ["negative", -1n],
    ["above u64", U64_MAX + 1n],
    ["a string", "5"],
  ])("rejects %s as lamports", (_, value) => {
    expect(isLamports(value)).toBe(false);
    expect(codeOf(() => assertIsLamports(value))).toBe("INVALID_AMOUNT");
    expect(codeOf(() => assertIsTokenAmount(value))).toBe("INVALID_AMOUNT");
  });

  it.each([
    "",
    "-1",
    "1.5",
    "1e9",
    " 1",
    "0x10",
    "01",
    "18446744073709551616",
    "99999999999999999999999",
  ])("refuses to parse %j as base units", (text) => {
    expect(codeOf(() => lamports(text))).toBe("INVALID_AMOUNT");
    expect(codeOf(() => parseBaseUnits(text) && tokenAmount(text))).toBe("INVALID_AMOUNT");
  });

  it("formats base units for display", () => {
    expect(formatUnits(1_500_000_000n, 9)).toBe("1.5");
    expect(formatUnits(1n, 6)).toBe("0.000001");
    expect(formatUnits(-25n, 1)).toBe("-2.5");
    expect(formatUnits(42n, 0)).toBe("42");
  });
});

describe("ids", () => {
  it("creates time-ordered UUIDv7s that pass every id guard", () => {
    const a = createUuidV7(1_000);
    const b = createUuidV7(2_000);
    expect(a < b).toBe(true);
    expect(isUserId(a) && isWalletId(a) && isOrderId(a)).toBe(true);
    expect(orderId(a)).toBe(a);
  });

  it.each([
    "",
    "123",
    "not-a-uuid",
    "00000000-0000-0000-0000-000000000000",
    5,
    "ABCDEF00-0000-7000-8000-000000000000",
  ])("rejects %j", (value) => {
    expect(isUserId(value)).toBe(false);
    expect(codeOf(() => assertIsUserId(value))).toBe("INVALID_ID");
  });
});
