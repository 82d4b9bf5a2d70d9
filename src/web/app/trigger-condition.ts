import type { SellSize, Trigger } from "./automation-api.js";
import { formatSol, formatUnits, formatUsd } from "./format.js";

/** Milliseconds as "90 s", "15 min", "4 h", "2 d" (whole units where they divide). */
export function formatInterval(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds % 86_400 === 0) return `${seconds / 86_400} d`;
  if (seconds % 3_600 === 0) return `${seconds / 3_600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

function describeSize(size: SellSize | undefined, decimals: number | null, symbol: string): string {
  if (!size) return "the holding";
  if ("percent" in size) return `${size.percent}% of the holding`;
  return decimals === null
    ? `${size.amount} units`
    : `${formatUnits(size.amount, decimals)} ${symbol}`.trim();
}

/** What makes the trigger fire and what it then does, in one sentence. */
export function describeCondition(
  trigger: Trigger,
  decimals: number | null,
  symbol: string,
): string {
  const { params } = trigger;
  const price = formatUsd(trigger.triggerPriceUsd ?? params.priceUsd ?? null);
  const size = describeSize(params.size, decimals, symbol);
  const relative =
    typeof params.changePercent === "number"
      ? ` (${Math.abs(params.changePercent)}% ${trigger.type === "stop_loss" ? "below" : "above"} cost)`
      : "";
  switch (trigger.type) {
    case "limit_buy":
      return `Buy ${formatSol(params.amountLamports ?? null, 9)} SOL when the price is at or below ${price}`;
    case "take_profit":
      return `Sell ${size} when the price reaches ${price}${relative}`;
    case "stop_loss":
      return `Sell ${size} when the price falls to ${price}${relative}`;
    case "trailing_stop": {
      const high = trigger.highWaterPriceUsd
        ? `, high so far ${formatUsd(trigger.highWaterPriceUsd)}`
        : "";
      return `Sell ${size} when the price falls ${params.trailPercent ?? "?"}% below its high${high}`;
    }
    case "dca": {
      const min = params.priceMinUsd ? formatUsd(params.priceMinUsd) : null;
      const max = params.priceMaxUsd ? formatUsd(params.priceMaxUsd) : null;
      const band =
        min && max
          ? `, only between ${min} and ${max}`
          : min
            ? `, only at or above ${min}`
            : max
              ? `, only at or below ${max}`
              : "";
      const every = params.intervalMs ? formatInterval(params.intervalMs) : "?";
      return `Buy ${formatSol(params.amountLamports ?? null, 9)} SOL every ${every}, ${params.count ?? "?"} times${band}`;
    }
    default:
      return trigger.type;
  }
}
