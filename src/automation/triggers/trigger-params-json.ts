import type { SellSize, TriggerParams } from "./trigger-types.js";

/** The params column: a trigger's parameters with amounts as strings, plus its slippage. */
interface StoredParams {
  readonly params: TriggerParams;
  readonly slippageBps: number | null;
}

/** Amounts become strings of integers; everything else is already plain JSON. */
export function sellSizeToJson(size: SellSize): { percent: number } | { amount: string } {
  return "percent" in size ? { percent: size.percent } : { amount: size.amount.toString() };
}

export function paramsToJson(params: TriggerParams): Record<string, unknown> {
  switch (params.type) {
    case "limit_buy":
    case "dca":
      return { ...params, amountLamports: params.amountLamports.toString() };
    case "take_profit":
    case "stop_loss":
    case "trailing_stop":
      return { ...params, size: sellSizeToJson(params.size) };
    default:
      return params satisfies never;
  }
}

export function encodeTriggerParams(params: TriggerParams, slippageBps: number | null): string {
  return JSON.stringify({ ...paramsToJson(params), slippageBps });
}

function readSize(value: unknown): SellSize {
  const size = value as { percent?: number; amount?: string };
  return size.amount !== undefined
    ? { amount: BigInt(size.amount) }
    : { percent: Number(size.percent) };
}

/** Reads what encodeTriggerParams wrote (the store's own column: trusted shape). */
export function decodeTriggerParams(text: string): StoredParams {
  const { slippageBps = null, ...raw } = JSON.parse(text) as Record<string, unknown> & {
    slippageBps?: number | null;
  };
  const type = raw.type as TriggerParams["type"];
  switch (type) {
    case "limit_buy":
      return {
        slippageBps,
        params: {
          type,
          amountLamports: BigInt(raw.amountLamports as string),
          priceUsd: raw.priceUsd as string,
        },
      };
    case "take_profit":
    case "stop_loss":
      return {
        slippageBps,
        params: {
          type,
          size: readSize(raw.size),
          priceUsd: raw.priceUsd as string,
          ...(typeof raw.changePercent === "number" ? { changePercent: raw.changePercent } : {}),
        },
      };
    case "trailing_stop":
      return {
        slippageBps,
        params: { type, size: readSize(raw.size), trailPercent: Number(raw.trailPercent) },
      };
    case "dca":
      return {
        slippageBps,
        params: {
          type,
          amountLamports: BigInt(raw.amountLamports as string),
          intervalMs: Number(raw.intervalMs),
          count: Number(raw.count),
          ...(typeof raw.priceMinUsd === "string" ? { priceMinUsd: raw.priceMinUsd } : {}),
          ...(typeof raw.priceMaxUsd === "string" ? { priceMaxUsd: raw.priceMaxUsd } : {}),
        },
      };
    default:
      throw new Error(`unknown trigger type in the store: ${String(type satisfies never)}`);
  }
}
