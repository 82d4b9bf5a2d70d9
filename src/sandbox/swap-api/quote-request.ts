import type { Address } from "@solana/kit";
import type { RouteAmounts } from "../market/route-math.js";
import { getOtherAmountThreshold } from "../market/route-math.js";
import type { PricedRoute } from "./quote-engine.js";
import {
  parseAddress,
  parseAmount,
  parseBoolean,
  parseInteger,
  parseSwapMode,
} from "./request-values.js";

export const POOL_LABEL = "Osprey Sandbox CPMM";

export interface QuoteParams {
  inputMint: Address;
  outputMint: Address;
  amount: bigint;
  slippageBps: number;
  swapMode: "ExactIn" | "ExactOut";
  platformFeeBps: number;
  onlyDirectRoutes: boolean;
}

/** `GET /quote` query → validated parameters (unknown Jupiter options such as `dexes` are ignored). */
export function parseQuoteQuery(query: URLSearchParams): QuoteParams {
  const get = (name: string) => query.get(name) ?? undefined;
  return {
    inputMint: parseAddress(get("inputMint"), "inputMint"),
    outputMint: parseAddress(get("outputMint"), "outputMint"),
    amount: parseAmount(get("amount"), "amount"),
    slippageBps: parseInteger(get("slippageBps"), "slippageBps", 0, 10_000, 50),
    swapMode: parseSwapMode(get("swapMode")),
    platformFeeBps: parseInteger(get("platformFeeBps"), "platformFeeBps", 0, 9_999, 0),
    onlyDirectRoutes: parseBoolean(get("onlyDirectRoutes"), "onlyDirectRoutes", false),
  };
}

/** Jupiter's QuoteResponse for a priced route; every amount a string of base units. */
export function toQuoteResponse(params: QuoteParams, route: PricedRoute, timeTaken: number) {
  const a: RouteAmounts = route.amounts;
  const mode = params.swapMode;
  const threshold = getOtherAmountThreshold(
    mode,
    mode === "ExactIn" ? a.outAmount : a.inAmount,
    params.slippageBps,
  );
  const feeMint = a.feeSide === "input" ? params.inputMint : params.outputMint;
  return {
    inputMint: params.inputMint,
    inAmount: a.inAmount.toString(),
    outputMint: params.outputMint,
    outAmount: a.outAmount.toString(),
    otherAmountThreshold: threshold.toString(),
    swapMode: mode,
    slippageBps: params.slippageBps,
    platformFee:
      params.platformFeeBps > 0
        ? { amount: a.platformFee.toString(), feeBps: params.platformFeeBps, feeMint }
        : null,
    priceImpactPct: a.priceImpact.toFixed(9).replace(/\.?0+$/, "") || "0",
    routePlan: [
      {
        swapInfo: {
          ammKey: route.pool.id,
          label: POOL_LABEL,
          inputMint: params.inputMint,
          outputMint: params.outputMint,
          inAmount: a.swapIn.toString(),
          outAmount: (a.feeSide === "output" ? a.userOut + a.platformFee : a.userOut).toString(),
          feeAmount: a.poolFee.toString(),
          feeMint: params.inputMint,
        },
        percent: 100,
        bps: 10_000,
      },
    ],
    contextSlot: Number(route.slot),
    timeTaken,
  };
}

export type QuoteResponseJson = ReturnType<typeof toQuoteResponse>;
