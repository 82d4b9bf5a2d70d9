import { OspreyError } from "../core/osprey-error.js";

export const SOL_MINT = "So11111111111111111111111111111111111111112";

export interface PriceClientOptions {
  /** Jupiter's price API v3 base, e.g. https://lite-api.jup.ag/price/v3. */
  readonly baseUrl: string;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

export interface PriceClient {
  /** USD per whole token in micro-dollars (10^-6), or null when the API has no price for it. */
  getUsdMicros(mint: string): Promise<bigint | null>;
}

/** Jupiter's price API: a number in the JSON, turned into exact micro-dollars at the edge. */
export function createPriceClient(options: PriceClientOptions): PriceClient {
  const fetchFn = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 5_000;
  return {
    async getUsdMicros(mint) {
      const url = `${options.baseUrl.replace(/\/+$/, "")}?ids=${encodeURIComponent(mint)}`;
      let body: Record<string, { usdPrice?: unknown } | undefined>;
      try {
        const response = await fetchFn(url, { signal: AbortSignal.timeout(timeoutMs) });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        body = (await response.json()) as typeof body;
      } catch (cause) {
        throw new OspreyError(
          "API_ERROR",
          "The price API failed.",
          { operation: "price" },
          { cause },
        );
      }
      const price = body[mint]?.usdPrice;
      if (typeof price !== "number" || !Number.isFinite(price) || price < 0) return null;
      return BigInt(Math.round(price * 1e6));
    },
  };
}

/** Micro-dollars of `lamports` at a SOL price in micro-dollars per SOL, rounded down. */
export function lamportsToUsdMicros(lamports: bigint, solUsdMicros: bigint): bigint {
  return (lamports * solUsdMicros) / 1_000_000_000n;
}

/** Micro-dollars as a decimal string of dollars ("12.345678"), for JSON. */
export function formatUsdMicros(micros: bigint): string {
  const negative = micros < 0n;
  const digits = (negative ? -micros : micros).toString().padStart(7, "0");
  return `${negative ? "-" : ""}${digits.slice(0, -6)}.${digits.slice(-6)}`;
}
