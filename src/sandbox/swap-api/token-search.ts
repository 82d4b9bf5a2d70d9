import type { Address } from "@solana/kit";
import type { PriceFeed } from "./price-feed.js";
import { invalidRequest } from "./swap-api-error.js";

/** A token the sandbox lists, as its metadata names it. */
export interface ListedToken {
  readonly mint: Address;
  readonly name: string;
  readonly symbol: string;
  readonly decimals: number;
  readonly program: Address;
  /** The sandbox vouches for it (the healthy demo tokens and the stable). */
  readonly verified: boolean;
}

/** One result of Jupiter's Tokens API v2 search (the fields the sandbox can fill). */
export interface SearchedToken {
  id: string;
  name: string;
  symbol: string;
  icon: string | null;
  decimals: number;
  tokenProgram: string;
  usdPrice: number | null;
  liquidity: number | null;
  isVerified: boolean;
  tags: string[];
  organicScore: number;
  organicScoreLabel: "high" | "medium" | "low";
  updatedAt: string;
}

export interface TokenSearch {
  /** `/tokens/v2/search?query=`: by symbol, name or mint; comma-separated mints look up each. */
  search(query: string | null): SearchedToken[];
}

const MAX_QUERY = 500;
const MAX_RESULTS = 20;

/** How well a token matches: exact symbol or mint first, then prefixes, then substrings. */
function rank(token: ListedToken, query: string): number | null {
  const q = query.toLowerCase();
  const symbol = token.symbol.toLowerCase();
  const name = token.name.toLowerCase();
  if (token.mint === query || symbol === q) return 0;
  if (name === q) return 1;
  if (symbol.startsWith(q)) return 2;
  if (name.startsWith(q)) return 3;
  if (symbol.includes(q) || name.includes(q)) return 4;
  return null;
}

/** Jupiter's token search over the demo market, with live pool prices and liquidity. */
export function createTokenSearch(options: {
  readonly tokens: readonly ListedToken[];
  readonly prices: PriceFeed;
  readonly now?: () => number;
}): TokenSearch {
  const now = options.now ?? Date.now;
  const toJson = (token: ListedToken): SearchedToken => {
    const price = options.prices.getPrices([token.mint])[token.mint];
    return {
      id: token.mint,
      name: token.name,
      symbol: token.symbol,
      icon: null,
      decimals: token.decimals,
      tokenProgram: token.program,
      usdPrice: price?.usdPrice ?? null,
      liquidity: price?.liquidity ?? null,
      isVerified: token.verified,
      tags: token.verified ? ["verified"] : [],
      organicScore: token.verified ? 90 : 5,
      organicScoreLabel: token.verified ? "high" : "low",
      updatedAt: new Date(now()).toISOString(),
    };
  };
  return {
    search(query) {
      const text = (query ?? "").trim();
      if (text === "") throw invalidRequest("query is required");
      if (text.length > MAX_QUERY) throw invalidRequest(`query is at most ${MAX_QUERY} characters`);
      const terms = text.includes(",") ? text.split(",").map((term) => term.trim()) : [text];
      const found = new Map<Address, { token: ListedToken; rank: number }>();
      for (const term of terms.filter((t) => t !== "")) {
        for (const token of options.tokens) {
          const score = rank(token, term);
          const known = found.get(token.mint);
          if (score !== null && (!known || score < known.rank))
            found.set(token.mint, { token, rank: score });
        }
      }
      return [...found.values()]
        .sort(
          (a, b) =>
            a.rank - b.rank ||
            Number(b.token.verified) - Number(a.token.verified) ||
            a.token.symbol.localeCompare(b.token.symbol),
        )
        .slice(0, MAX_RESULTS)
        .map(({ token }) => toJson(token));
    },
  };
}
