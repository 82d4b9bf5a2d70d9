import type { Position } from "../../store/repositories/positions-repository.js";

/** Trigger prices carry at most 18 decimals (the request's own limit). */
const PRICE_DECIMALS = 18;
const PERCENT_SCALE = 1_000_000n;

/**
 * A price from the price API (a JS number) as a plain decimal string — never "1e-7" — rounded
 * to 18 decimals; null when it is not a price (zero, negative, not finite, or rounds to zero).
 */
export function formatPriceUsd(price: number): string | null {
  if (!Number.isFinite(price) || price <= 0) return null;
  const text = price.toLocaleString("en-US", {
    useGrouping: false,
    maximumFractionDigits: PRICE_DECIMALS,
  });
  return /[1-9]/.test(text) ? text : null;
}

/** A bigint scaled by 10^18 as a decimal string without trailing zeros. */
function formatScaled(value: bigint): string {
  const digits = value.toString().padStart(PRICE_DECIMALS + 1, "0");
  const whole = digits.slice(0, -PRICE_DECIMALS);
  const fraction = digits.slice(-PRICE_DECIMALS).replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : whole;
}

/**
 * The position's average cost in USD per whole token, moved by `changePercent` up (take-profit)
 * or down (stop-loss), exactly in bigints; null when the position has no USD cost to go from.
 */
export function priceFromAverageCost(
  position: Pick<Position, "amount" | "costUsdMicros">,
  decimals: number,
  changePercent: number,
  direction: "above" | "below",
): string | null {
  if (position.amount <= 0n || position.costUsdMicros <= 0n) return null;
  const change = BigInt(Math.round(changePercent * Number(PERCENT_SCALE)));
  const factor = 100n * PERCENT_SCALE + (direction === "above" ? change : -change);
  // micros → USD (10^-6) → 18 decimals: × 10^12; per whole token: × 10^decimals / amount
  const scaled =
    (position.costUsdMicros * 10n ** BigInt(decimals + 12) * factor) /
    (position.amount * 100n * PERCENT_SCALE);
  return scaled > 0n ? formatScaled(scaled) : null;
}
