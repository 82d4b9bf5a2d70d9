import { OspreyError } from "../core/osprey-error.js";

/** Jupiter's price API v3 takes at most this many ids per request. */
const MAX_IDS = 50;

export interface PriceBatchOptions {
  /** Jupiter's price API v3 base, e.g. https://lite-api.jup.ag/price/v3. */
  readonly baseUrl: string;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

/**
 * USD prices of many mints, in requests of up to 50 comma-separated ids; a mint the API has no
 * price for is absent. The token search and sampler ask for many, trading's price client for one.
 */
export type FetchUsdPrices = (mints: readonly string[]) => Promise<Map<string, number>>;

/** A price with the slot it was computed at (`blockId`; null when the API leaves it out). */
export interface UsdPriceQuote {
  readonly usd: number;
  readonly blockId: number | null;
}

/** The same batches, with each price's `blockId`: the trigger watcher tells a frozen feed by it. */
export type FetchUsdPriceQuotes = (mints: readonly string[]) => Promise<Map<string, UsdPriceQuote>>;

/** A price as a JSON number; anything else (absent, negative, not finite) is no price. */
function readPrice(entry: unknown): UsdPriceQuote | null {
  if (typeof entry !== "object" || entry === null) return null;
  const { usdPrice: price, blockId } = entry as { usdPrice?: unknown; blockId?: unknown };
  if (!(typeof price === "number" && Number.isFinite(price) && price >= 0)) return null;
  return { usd: price, blockId: typeof blockId === "number" ? blockId : null };
}

export function createPriceBatch(options: PriceBatchOptions): FetchUsdPrices {
  const quotes = createPriceQuoteBatch(options);
  return async (mints) =>
    new Map([...(await quotes(mints))].map(([mint, quote]) => [mint, quote.usd]));
}

export function createPriceQuoteBatch(options: PriceBatchOptions): FetchUsdPriceQuotes {
  const fetchFn = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const base = options.baseUrl.replace(/\/+$/, "");
  const fetchChunk = async (ids: readonly string[]): Promise<[string, UsdPriceQuote][]> => {
    let body: unknown;
    try {
      const response = await fetchFn(`${base}?ids=${ids.map(encodeURIComponent).join(",")}`, {
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      body = await response.json();
    } catch (cause) {
      throw new OspreyError(
        "API_ERROR",
        "The price API failed.",
        { operation: "price" },
        { cause },
      );
    }
    if (typeof body !== "object" || body === null) return [];
    return ids.flatMap((id): [string, UsdPriceQuote][] => {
      const price = readPrice((body as Record<string, unknown>)[id]);
      return price === null ? [] : [[id, price]];
    });
  };
  return async (mints) => {
    const unique = [...new Set(mints)];
    const chunks: string[][] = [];
    for (let i = 0; i < unique.length; i += MAX_IDS) chunks.push(unique.slice(i, i + MAX_IDS));
    const answers = await Promise.all(chunks.map(fetchChunk));
    return new Map(answers.flat());
  };
}
