import { type Clock, systemClock } from "../core/clock.js";
import { createPromiseCache } from "../core/promise-cache.js";
import { createPriceBatch, type PriceBatchOptions } from "../swap/price-batch.js";

export const SOL_MINT = "So11111111111111111111111111111111111111112";

export interface PriceClientOptions extends PriceBatchOptions {
  /**
   * How long a price is reused (default 2 s; 0 turns it off). Fills and positions value at the
   * price of the moment; a price two seconds old is that, and busy trading asks once, not per fill.
   */
  readonly cacheMs?: number;
  readonly clock?: Clock;
}

export interface PriceClient {
  /** USD per whole token in micro-dollars (10^-6), or null when the API has no price for it. */
  getUsdMicros(mint: string): Promise<bigint | null>;
}

/** Jupiter's price API: a number in the JSON, turned into exact micro-dollars at the edge. */
export function createPriceClient(options: PriceClientOptions): PriceClient {
  const fetchUsdPrices = createPriceBatch(options);
  const cache = createPromiseCache<bigint | null>(
    options.clock ?? systemClock,
    options.cacheMs ?? 2_000,
    1_000,
  );
  const load = async (mint: string): Promise<bigint | null> => {
    const price = (await fetchUsdPrices([mint])).get(mint);
    return price === undefined ? null : BigInt(Math.round(price * 1e6));
  };
  return { getUsdMicros: (mint) => cache.get(mint, () => load(mint)) };
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
