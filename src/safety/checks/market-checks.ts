import type { MarketFacts } from "../read-market-facts.js";
import { getRouteFeeFraction } from "../read-market-facts.js";
import { type CheckResult, makeCheck, percent } from "./make-check.js";

export const MARKET_LIMITS = {
  priceImpactWarn: 0.05,
  priceImpactFail: 0.3,
  roundTripWarn: 0.1,
  roundTripFail: 0.5,
} as const;

export function checkSellRoute(facts: MarketFacts): CheckResult {
  const { sell } = facts;
  switch (sell.kind) {
    case "quoted":
      return makeCheck(
        "sell_route",
        "pass",
        `The token can be sold back to SOL (via ${sell.quote.routeLabels.join(", ") || "a route"}).`,
      );
    case "no-route":
      return makeCheck(
        "sell_route",
        "fail",
        "No route sells this token back to SOL: whatever is bought cannot be sold.",
        { waivable: false },
      );
    case "error":
      return makeCheck(
        "sell_route",
        "unknown",
        `Whether the token can be sold could not be checked (${sell.reason}).`,
      );
    default:
      return sell satisfies never;
  }
}

export function checkPriceImpact(facts: MarketFacts): CheckResult {
  if (facts.sell.kind !== "quoted") {
    return makeCheck(
      "price_impact",
      "unknown",
      "There is no sell quote to measure price impact on.",
    );
  }
  const impact = Math.max(0, facts.sell.quote.priceImpact);
  const what = facts.sellIsRoundTrip ? "Selling what this buy would receive" : "Selling one token";
  if (impact > MARKET_LIMITS.priceImpactFail) {
    return makeCheck(
      "price_impact",
      "fail",
      `${what} moves the price by ${percent(impact)}: the pool is too shallow to exit.`,
      { waivable: false },
    );
  }
  if (impact > MARKET_LIMITS.priceImpactWarn) {
    return makeCheck(
      "price_impact",
      "warn",
      `${what} moves the price by ${percent(impact)}: liquidity is thin.`,
      {
        waivable: false,
      },
    );
  }
  return makeCheck("price_impact", "pass", `${what} moves the price by ${percent(impact)}.`);
}

/**
 * Buy then sell the output: on constant-product pools the price impact cancels out, so what is
 * lost beyond the announced fees (AMM, transfer fee both ways) is a hidden tax.
 */
export function checkRoundTripLoss(facts: MarketFacts, transferFeeBps: number): CheckResult {
  const { buy, sell } = facts;
  if (buy.kind !== "quoted" || sell.kind !== "quoted" || !facts.sellIsRoundTrip) {
    const reason =
      buy.kind === "no-route"
        ? "no route buys it with SOL"
        : buy.kind === "error"
          ? buy.reason
          : "the sell quote is missing";
    return makeCheck(
      "round_trip_loss",
      "unknown",
      `A buy-then-sell round trip could not be quoted (${reason}).`,
    );
  }
  const spent = buy.quote.inAmount;
  const back = sell.quote.outAmount;
  const loss = spent > 0n ? 1 - Number((back * 1_000_000n) / spent) / 1_000_000 : 1;
  const transfer = transferFeeBps / 10_000;
  const known =
    1 -
    (1 - getRouteFeeFraction(buy.quote)) *
      (1 - getRouteFeeFraction(sell.quote)) *
      (1 - transfer) ** 2;
  const excess = Math.max(0, loss - known);
  const summary = `Buying and selling straight back returns ${percent(1 - loss)} of the SOL spent; announced fees explain ${percent(known)}`;
  if (excess > MARKET_LIMITS.roundTripFail) {
    return makeCheck(
      "round_trip_loss",
      "fail",
      `${summary}, so ${percent(excess)} vanishes to a hidden tax.`,
      {
        waivable: false,
      },
    );
  }
  if (excess > MARKET_LIMITS.roundTripWarn) {
    return makeCheck(
      "round_trip_loss",
      "warn",
      `${summary}; ${percent(excess)} more is lost than fees explain.`,
      {
        waivable: false,
      },
    );
  }
  return makeCheck("round_trip_loss", "pass", `${summary}.`);
}
