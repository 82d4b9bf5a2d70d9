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

/** A price as a JSON number; anything else (absent, negative, not finite) is no price. */
function readPrice(entry: unknown): number | null {
  if (typeof entry !== "object" || entry === null) return null;
  const price = (entry as { usdPrice?: unknown }).usdPrice;
  return typeof price === "number" && Number.isFinite(price) && price >= 0 ? price : null;
}

export function createPriceBatch(options: PriceBatchOptions): FetchUsdPrices {
  const fetchFn = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const base = options.baseUrl.replace(/\/+$/, "");
  const fetchChunk = async (ids: readonly string[]): Promise<[string, number][]> => {
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
    return ids.flatMap((id): [string, number][] => {
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
