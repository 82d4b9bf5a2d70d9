import { z } from "zod";
import { isAddress } from "../core/addresses.js";
import { type Clock, systemClock } from "../core/clock.js";
import { OspreyError } from "../core/osprey-error.js";
import { createPromiseCache } from "../core/promise-cache.js";

/**
 * One result of Jupiter's Tokens API v2 (`/tokens/v2/search`). Only what Osprey shows is
 * required; the many other fields (stats, audit, holders…) are let through unread.
 */
const listedTokenSchema = z.object({
  id: z.string().refine(isAddress),
  name: z.string().max(200).catch(""),
  symbol: z.string().max(50).catch(""),
  icon: z.string().max(2048).nullish().catch(null),
  decimals: z.number().int().min(0).max(255),
  tokenProgram: z.string().max(64).nullish().catch(null),
  usdPrice: z.number().finite().nonnegative().nullish().catch(null),
  liquidity: z.number().finite().nonnegative().nullish().catch(null),
  isVerified: z.boolean().nullish().catch(null),
  tags: z.array(z.string()).nullish().catch(null),
  organicScore: z.number().finite().nullish().catch(null),
});
const searchResponseSchema = z.array(z.unknown()).max(1_000);

export interface ListedToken {
  readonly mint: string;
  readonly name: string;
  readonly symbol: string;
  readonly icon: string | null;
  readonly decimals: number;
  readonly tokenProgram: string | null;
  readonly priceUsd: number | null;
  readonly liquidityUsd: number | null;
  readonly verified: boolean;
  readonly tags: readonly string[];
  readonly organicScore: number | null;
}

export interface TokenListClient {
  /** Tokens matching a symbol, a name or a mint, best match first (Jupiter's order). */
  search(query: string): Promise<ListedToken[]>;
}

export interface TokenListClientOptions {
  /** Jupiter's Tokens API v2 base, e.g. https://lite-api.jup.ag/tokens/v2. */
  readonly baseUrl: string;
  readonly apiKey?: string;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
  /** How long a search's answer is reused (default 30 s): a user typing asks the same prefixes. */
  readonly cacheMs?: number;
  readonly clock?: Clock;
}

function toListedToken(raw: z.infer<typeof listedTokenSchema>): ListedToken {
  const tags = raw.tags ?? [];
  // Jupiter marks verification both ways (isVerified, the "verified" tag); either will do.
  const verified = raw.isVerified === true || tags.includes("verified");
  return {
    mint: raw.id,
    name: raw.name,
    symbol: raw.symbol,
    icon: raw.icon ?? null,
    decimals: raw.decimals,
    tokenProgram: raw.tokenProgram ?? null,
    priceUsd: raw.usdPrice ?? null,
    liquidityUsd: raw.liquidity ?? null,
    verified,
    tags,
    organicScore: raw.organicScore ?? null,
  };
}

const unavailable = (detail: string, cause?: unknown) =>
  new OspreyError(
    "TOKEN_LIST_UNAVAILABLE",
    `The token list failed: ${detail}.`,
    {},
    cause === undefined ? undefined : { cause },
  );

/** Jupiter's token search, its answers checked with zod at the edge (a bad entry is dropped). */
export function createTokenListClient(options: TokenListClientOptions): TokenListClient {
  const fetchFn = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const base = options.baseUrl.replace(/\/+$/, "");
  const cache = createPromiseCache<ListedToken[]>(
    options.clock ?? systemClock,
    options.cacheMs ?? 30_000,
    500,
  );
  const load = async (query: string): Promise<ListedToken[]> => {
    let response: Response;
    try {
      response = await fetchFn(`${base}/search?query=${encodeURIComponent(query)}`, {
        headers: options.apiKey ? { "x-api-key": options.apiKey } : {},
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (cause) {
      throw unavailable("unreachable or timed out", cause);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw unavailable(`HTTP ${response.status}`);
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch (cause) {
      throw unavailable("not JSON", cause);
    }
    const list = searchResponseSchema.safeParse(body);
    if (!list.success) throw unavailable("not a list of tokens");
    return list.data.flatMap((entry) => {
      const parsed = listedTokenSchema.safeParse(entry);
      return parsed.success ? [toListedToken(parsed.data)] : [];
    });
  };
  return {
    search: (query) => cache.get(query, () => load(query)),
  };
}
