import { Configuration, type QuoteResponse, SwapApi } from "@jup-ag/api";
import type { Address } from "../core/addresses.js";
import { parseBaseUnits } from "../core/amounts.js";
import { type Clock, systemClock } from "../core/clock.js";
import { OspreyError } from "../core/osprey-error.js";
import { createKeepAliveFetch } from "./keep-alive-fetch.js";
import { createQuoteCache } from "./quote-cache.js";
import { toSwapError } from "./swap-errors.js";

export type SwapMode = "ExactIn" | "ExactOut";

export interface QuoteRequest {
  readonly inputMint: Address;
  readonly outputMint: Address;
  readonly amount: bigint;
  readonly slippageBps: number;
  readonly swapMode?: SwapMode;
  readonly platformFeeBps?: number;
  readonly onlyDirectRoutes?: boolean;
}

/** What a quote (v1) and a built swap (v2) both say about the trade. */
export interface SwapAmounts {
  readonly inputMint: Address;
  readonly outputMint: Address;
  readonly inAmount: bigint;
  readonly outAmount: bigint;
  /** The least the swap may deliver (ExactIn) or the most it may take (ExactOut). */
  readonly otherAmountThreshold: bigint;
  readonly slippageBps: number;
  /** As a fraction (0.01 = 1%), parsed from Jupiter's answer. */
  readonly priceImpact: number;
  readonly platformFee: { readonly amount: bigint; readonly feeBps: number } | null;
}

export interface Quote extends SwapAmounts {
  readonly swapMode: SwapMode;
  readonly contextSlot: number | null;
  readonly routeLabels: readonly string[];
  /** The API's own object, handed back unchanged when building the swap. */
  readonly raw: QuoteResponse;
}

export interface BuildSwapRequest {
  readonly quote: Quote;
  readonly userPublicKey: Address;
  readonly feeAccount?: Address;
  readonly computeUnitPriceMicroLamports?: bigint;
  readonly dynamicComputeUnitLimit?: boolean;
  readonly wrapAndUnwrapSol?: boolean;
}

export interface BuiltSwap {
  /** The unsigned-by-us wire transaction (other parties may have signed already). */
  readonly transaction: Uint8Array;
  readonly lastValidBlockHeight: bigint;
  readonly prioritizationFeeLamports: bigint;
  readonly computeUnitLimit: number | null;
}

export interface SwapClientOptions {
  readonly baseUrl: string;
  readonly apiKey?: string;
  readonly clock?: Clock;
  readonly quoteCacheTtlMs?: number;
  readonly timeoutMs?: number;
  /** Replaces the keep-alive fetch (`keep-alive-fetch.ts`): tests, latency injection. */
  readonly fetch?: typeof fetch;
}

interface RawSwapResponse {
  readonly swapTransaction?: unknown;
  readonly lastValidBlockHeight?: unknown;
  readonly prioritizationFeeLamports?: unknown;
  readonly computeUnitLimit?: unknown;
}

function toBuiltSwap(raw: RawSwapResponse): BuiltSwap {
  const transaction =
    typeof raw.swapTransaction === "string"
      ? Buffer.from(raw.swapTransaction, "base64")
      : Buffer.alloc(0);
  if (transaction.length === 0 || !Number.isSafeInteger(raw.lastValidBlockHeight)) {
    throw new OspreyError("API_ERROR", "The swap API returned a malformed swap transaction.");
  }
  const fee = raw.prioritizationFeeLamports;
  return {
    transaction: new Uint8Array(transaction),
    lastValidBlockHeight: BigInt(raw.lastValidBlockHeight as number),
    prioritizationFeeLamports: Number.isSafeInteger(fee) ? BigInt(fee as number) : 0n,
    computeUnitLimit: Number.isSafeInteger(raw.computeUnitLimit)
      ? (raw.computeUnitLimit as number)
      : null,
  };
}

function assertQuotable(amount: bigint): void {
  if (amount <= 0n) throw new OspreyError("INVALID_AMOUNT", "The amount must be above zero.");
  // The official client types amounts as number: refuse what a number cannot carry exactly.
  if (amount > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new OspreyError(
      "INVALID_AMOUNT",
      "The amount is too large for the swap API to quote exactly.",
      {
        max: String(Number.MAX_SAFE_INTEGER),
      },
    );
  }
}

function parseAmount(text: string | undefined, field: string): bigint {
  try {
    return parseBaseUnits(text ?? "");
  } catch {
    throw new OspreyError("API_ERROR", `The swap API returned a malformed ${field}.`, { field });
  }
}

function toQuote(raw: QuoteResponse): Quote {
  const impact = Number(raw.priceImpactPct);
  return {
    inputMint: raw.inputMint as Address,
    outputMint: raw.outputMint as Address,
    inAmount: parseAmount(raw.inAmount, "inAmount"),
    outAmount: parseAmount(raw.outAmount, "outAmount"),
    otherAmountThreshold: parseAmount(raw.otherAmountThreshold, "otherAmountThreshold"),
    slippageBps: raw.slippageBps,
    swapMode: raw.swapMode === "ExactOut" ? "ExactOut" : "ExactIn",
    priceImpact: Number.isFinite(impact) ? impact : 0,
    platformFee:
      raw.platformFee?.amount !== undefined
        ? {
            amount: parseAmount(raw.platformFee.amount, "platformFee.amount"),
            feeBps: raw.platformFee.feeBps ?? 0,
          }
        : null,
    contextSlot: raw.contextSlot ?? null,
    routeLabels: raw.routePlan.map((step) => step.swapInfo.label ?? "unknown"),
    raw,
  };
}

/** The Jupiter swap API through the official client, with bigint amounts and typed errors. */
export function createSwapClient(options: SwapClientOptions) {
  const api = new SwapApi(
    new Configuration({
      basePath: options.baseUrl.replace(/\/+$/, ""),
      ...(options.apiKey ? { headers: { "x-api-key": options.apiKey } } : {}),
      fetchApi: options.fetch ?? createKeepAliveFetch(),
    }),
  );
  const timeoutMs = options.timeoutMs ?? 10_000;
  const cache = createQuoteCache<Quote>(
    options.clock ?? systemClock,
    options.quoteCacheTtlMs ?? 2_000,
  );
  const init = () => ({ signal: AbortSignal.timeout(timeoutMs) });

  async function fetchQuote(request: QuoteRequest): Promise<Quote> {
    try {
      const raw = await api.quoteGet(
        {
          inputMint: request.inputMint,
          outputMint: request.outputMint,
          amount: Number(request.amount),
          slippageBps: request.slippageBps,
          swapMode: request.swapMode ?? "ExactIn",
          ...(request.platformFeeBps ? { platformFeeBps: request.platformFeeBps } : {}),
          ...(request.onlyDirectRoutes ? { onlyDirectRoutes: true } : {}),
        },
        init(),
      );
      return toQuote(raw);
    } catch (error) {
      throw await toSwapError(error, "quote");
    }
  }

  return {
    /** Cached briefly under a key made of every parameter, so a different slippage is a different quote. */
    async getQuote(request: QuoteRequest): Promise<Quote> {
      assertQuotable(request.amount);
      const key = JSON.stringify([
        request.inputMint,
        request.outputMint,
        request.amount.toString(),
        request.slippageBps,
        request.swapMode ?? "ExactIn",
        request.platformFeeBps ?? 0,
        request.onlyDirectRoutes ?? false,
      ]);
      return cache.get(key, () => fetchQuote(request));
    },

    async buildSwap(request: BuildSwapRequest): Promise<BuiltSwap> {
      try {
        // The raw body: the generated client drops fields it does not model (computeUnitLimit).
        const response = await api.swapPostRaw(
          {
            swapRequest: {
              quoteResponse: request.quote.raw,
              userPublicKey: request.userPublicKey,
              wrapAndUnwrapSol: request.wrapAndUnwrapSol ?? true,
              dynamicComputeUnitLimit: request.dynamicComputeUnitLimit ?? true,
              ...(request.feeAccount ? { feeAccount: request.feeAccount } : {}),
              ...(request.computeUnitPriceMicroLamports !== undefined
                ? { computeUnitPriceMicroLamports: Number(request.computeUnitPriceMicroLamports) }
                : {}),
            },
          },
          init(),
        );
        return toBuiltSwap((await response.raw.json()) as RawSwapResponse);
      } catch (error) {
        throw await toSwapError(error, "swap");
      }
    },

    clearQuoteCache: () => cache.clear(),
  };
}

export type SwapClient = ReturnType<typeof createSwapClient>;
