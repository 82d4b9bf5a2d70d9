import type { AllowListMatch } from "../allow-list.js";
import { type CheckResult, makeCheck } from "./make-check.js";

export function checkAllowList(match: AllowListMatch): CheckResult {
  switch (match.kind) {
    case "not-listed":
      return makeCheck("allow_list", "pass", "Not on the allow-list: every check applies in full.");
    case "matched":
      return makeCheck(
        "allow_list",
        "pass",
        `${match.entry.symbol} is on the allow-list and its authorities are exactly the expected ones, so the issuer's powers are accepted.`,
      );
    case "changed": {
      const changes = match.changes
        .map((c) => `${c.kind} is ${c.actual ?? "none"} instead of ${c.expected ?? "none"}`)
        .join("; ");
      return makeCheck(
        "allow_list",
        "warn",
        `This mint is allow-listed as ${match.entry.symbol}, but its authorities changed (${changes}): it is analyzed like any other token.`,
      );
    }
    default:
      return match satisfies never;
  }
}

/**
 * For a matched allow-list entry, the issuer's known powers (authorities, mutable metadata,
 * its own treasury's share) are accepted; what the market or the fee does to a trade is not.
 */
export function applyAllowList(
  checks: readonly CheckResult[],
  match: AllowListMatch,
): CheckResult[] {
  if (match.kind !== "matched") return [...checks];
  return checks.map((check) =>
    check.status === "pass" || check.waivable === false || MARKET_CHECKS.has(check.id)
      ? check
      : {
          ...check,
          status: "pass",
          detail: `Accepted for allow-listed ${match.entry.symbol}: ${check.detail}`,
        },
  );
}

const MARKET_CHECKS: ReadonlySet<string> = new Set([
  "sell_route",
  "price_impact",
  "round_trip_loss",
]);
