import type { TriggerRecord } from "../triggers/trigger-types.js";

/** The part of an ARMED trigger the evaluator reads. */
export type WatchedTrigger = Pick<
  TriggerRecord,
  "id" | "type" | "mint" | "params" | "triggerPrice" | "highWaterPrice" | "nextDueAt" | "updatedAt"
>;

/** A trigger compiled to numbers once, so a tick does no parsing. */
export interface Entry<T> {
  readonly trigger: T;
  readonly kind: "below" | "above" | "trailing" | "dca";
  /** below/above: the trigger price; trailing: the high-water mark (mutable); dca: next due. */
  level: number;
  readonly trailFactor: number;
  readonly min: number;
  readonly max: number;
}

function toNumber(value: string | null | undefined, fallback: number): number {
  if (value === null || value === undefined) return fallback;
  const n = Number(value);
  return Number.isFinite(n) ? n : fallback;
}

export function compile<T extends WatchedTrigger>(trigger: T): Entry<T> {
  const base = { trigger, trailFactor: 0, min: 0, max: Number.POSITIVE_INFINITY };
  const { params } = trigger;
  switch (params.type) {
    case "limit_buy":
    case "stop_loss":
      return { ...base, kind: "below", level: toNumber(trigger.triggerPrice, Number.NaN) };
    case "take_profit":
      return { ...base, kind: "above", level: toNumber(trigger.triggerPrice, Number.NaN) };
    case "trailing_stop":
      return {
        ...base,
        kind: "trailing",
        // NaN until the first price arms it: max(NaN, p) is handled in evaluate.
        level: toNumber(trigger.highWaterPrice, Number.NaN),
        trailFactor: 1 - params.trailPercent / 100,
      };
    case "dca":
      return {
        ...base,
        kind: "dca",
        level: trigger.nextDueAt ?? 0,
        min: toNumber(params.priceMinUsd, 0),
        max: toNumber(params.priceMaxUsd, Number.POSITIVE_INFINITY),
      };
  }
}

/** Formats a price as the decimal text stored and shown (no exponent). */
export function formatPriceUsd(price: number): string {
  const text = price.toPrecision(12);
  if (!text.includes("e")) return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
  return price.toFixed(18).replace(/\.?0+$/, "");
}
