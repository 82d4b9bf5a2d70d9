import { OspreyError } from "./osprey-error.js";

declare const lamportsBrand: unique symbol;
declare const tokenAmountBrand: unique symbol;

/** SOL in lamports (1 SOL = 10^9), always a bigint. */
export type Lamports = bigint & { readonly [lamportsBrand]: true };
/** A token amount in the mint's base units, always a bigint. */
export type TokenAmount = bigint & { readonly [tokenAmountBrand]: true };

export const U64_MAX = (1n << 64n) - 1n;
const DIGITS = /^(0|[1-9][0-9]*)$/;

/** True for a bigint in the u64 range: what an on-chain amount can be. */
function isU64(value: unknown): value is bigint {
  return typeof value === "bigint" && value >= 0n && value <= U64_MAX;
}

export function isLamports(value: unknown): value is Lamports {
  return isU64(value);
}

export function assertIsLamports(value: unknown): asserts value is Lamports {
  if (!isU64(value)) {
    throw new OspreyError("INVALID_AMOUNT", "Lamports must be a bigint between 0 and 2^64-1.", {
      value: describe(value),
    });
  }
}

export function lamports(value: bigint | string): Lamports {
  const parsed = typeof value === "string" ? parseBaseUnits(value) : value;
  assertIsLamports(parsed);
  return parsed;
}

export function isTokenAmount(value: unknown): value is TokenAmount {
  return isU64(value);
}

export function assertIsTokenAmount(value: unknown): asserts value is TokenAmount {
  if (!isU64(value)) {
    throw new OspreyError(
      "INVALID_AMOUNT",
      "Token amounts must be a bigint between 0 and 2^64-1.",
      {
        value: describe(value),
      },
    );
  }
}

export function tokenAmount(value: bigint | string): TokenAmount {
  const parsed = typeof value === "string" ? parseBaseUnits(value) : value;
  assertIsTokenAmount(parsed);
  return parsed;
}

/** Parses a string of decimal digits exactly; rejects signs, decimals, exponents and blanks. */
export function parseBaseUnits(text: string): bigint {
  if (!DIGITS.test(text) || text.length > 20) {
    throw new OspreyError(
      "INVALID_AMOUNT",
      "Amounts are whole numbers of base units, as a string of digits.",
      {
        value: text.slice(0, 40),
      },
    );
  }
  return BigInt(text);
}

/** Formats base units with decimals for display only; never parse it back into money. */
export function formatUnits(amount: bigint, decimals: number): string {
  const negative = amount < 0n;
  const digits = (negative ? -amount : amount).toString().padStart(decimals + 1, "0");
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = decimals > 0 ? digits.slice(digits.length - decimals).replace(/0+$/, "") : "";
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

/** US dollars for people: `$1,234.50`, `-$1.01`; below a cent, three significant digits. */
export function formatUsd(value: string | number): string {
  const amount = Number(value);
  if (!Number.isFinite(amount)) return String(value);
  const size = Math.abs(amount);
  const digits =
    size === 0 || size >= 0.01
      ? size.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })
      : size.toLocaleString("en-US", { maximumSignificantDigits: 3 });
  // A loss that rounds to $0.00 is still shown as no loss at all, not as "-$0.00".
  return `${amount < 0 && digits !== "0.00" ? "-" : ""}$${digits}`;
}

function describe(value: unknown): string {
  return typeof value === "bigint" ? value.toString() : typeof value;
}

/**
 * A decimal a person typed ("0.25", "1,000") in base units; null when it is not a positive
 * number with at most `decimals` places.
 */
export function parseDecimalUnits(text: string, decimals: number): bigint | null {
  const trimmed = text.trim().replace(/,/g, "");
  const match = /^(\d{0,20})(?:\.(\d*))?$/.exec(trimmed);
  if (!match || trimmed === "" || trimmed === ".") return null;
  const whole = match[1] ?? "";
  const fraction = match[2] ?? "";
  if (fraction.length > decimals) return null;
  const value =
    BigInt(whole || "0") * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, "0") || "0");
  return value > 0n && value <= U64_MAX ? value : null;
}
