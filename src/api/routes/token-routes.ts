import { z } from "zod";
import { isAddress } from "../../core/addresses.js";
import type { RateLimit } from "../../kv/rate-limiter.js";
import type { PriceSampler } from "../../tokens/price-sampler.js";
import type { TokenService } from "../../tokens/token-service.js";
import type { RouteModule } from "../api-types.js";
import { queryInteger } from "../query-integer.js";
import type { RequireAccess } from "../route-access.js";

export interface TokenRoutesOptions {
  readonly tokens: TokenService;
  readonly sampler: Pick<PriceSampler, "watch" | "getCandles">;
  readonly requireAccess: RequireAccess;
  /** Searches and token reads per user (default 600 a minute: a user typing asks per key). */
  readonly perUser?: RateLimit;
}

const errorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

const tokenSummarySchema = z.object({
  mint: z.string(),
  name: z.string(),
  symbol: z.string(),
  decimals: z.number().int(),
  icon: z.string().nullable(),
  verified: z.boolean().describe("Vouched for by the token list (Jupiter's) or the allow-list"),
  priceUsd: z.number().nullable(),
  liquidityUsd: z.number().nullable(),
});

const tokenInfoSchema = tokenSummarySchema.extend({
  priceSol: z.number().nullable().describe("SOL per whole token"),
  tokenProgram: z.enum(["spl-token", "token-2022"]),
});

const candlesSchema = z.object({
  mint: z.string(),
  interval: z.literal("1m"),
  candles: z.array(
    z.object({
      time: z.number().int().describe("Unix seconds of the minute's start"),
      open: z.number(),
      high: z.number(),
      low: z.number(),
      close: z.number(),
    }),
  ),
});

// Letters, digits, spaces and the punctuation tickers and names use; no control characters.
const QUERY_TEXT = /^[^\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}]+$/u;

const searchQuery = z.object({
  query: z
    .string()
    .trim()
    .min(1, "query must not be empty")
    .max(100, "query is at most 100 characters")
    .regex(QUERY_TEXT, "query must be text (no control characters)")
    .describe("A symbol, a name or part of one, or a mint address"),
});

const mintParams = z.object({
  mint: z.string().max(100).refine(isAddress, "mint must be a base58 address of 32 bytes"),
});

/**
 * GET /v1/tokens?query= (search), GET /v1/tokens/:mint (the token page's header) and
 * GET /v1/tokens/:mint/candles (price history). Viewing a token adds it to the price sampler.
 */
export function createTokenRoutes(options: TokenRoutesOptions): RouteModule {
  const { tokens, sampler } = options;
  const limits = {
    bucket: "tokens",
    perUser: options.perUser ?? { limit: 600, windowMs: 60_000 },
  };
  return (app) => {
    app.get(
      "/v1/tokens",
      {
        onRequest: options.requireAccess("read", limits),
        schema: {
          tags: ["tokens"],
          summary: "Search tokens by symbol, name or mint (verified ones are marked)",
          querystring: searchQuery,
          response: { 200: z.object({ tokens: z.array(tokenSummarySchema) }), 400: errorSchema },
        },
      },
      async (request) => ({ tokens: await tokens.search(request.query.query) }),
    );

    app.get(
      "/v1/tokens/:mint",
      {
        onRequest: options.requireAccess("read", limits),
        schema: {
          tags: ["tokens"],
          summary: "A token: name, symbol, price in USD and SOL, liquidity, verified, program",
          params: mintParams,
          response: { 200: tokenInfoSchema, 400: errorSchema, 404: errorSchema },
        },
      },
      async (request) => {
        const info = await tokens.getToken(request.params.mint);
        sampler.watch(info.mint);
        return info;
      },
    );

    app.get(
      "/v1/tokens/:mint/candles",
      {
        onRequest: options.requireAccess("read", limits),
        schema: {
          tags: ["tokens"],
          summary:
            "1-minute USD price candles of the last N minutes (sampled while viewed or held)",
          params: mintParams,
          querystring: z.object({ minutes: queryInteger(1, 1440).default(240) }),
          response: { 200: candlesSchema, 400: errorSchema },
        },
      },
      async (request) => {
        const { mint } = request.params;
        const candles = await sampler.getCandles(mint, request.query.minutes);
        return {
          mint,
          interval: "1m" as const,
          candles: candles.map((c) => ({
            time: Math.floor(c.startedAt / 1000),
            open: c.open,
            high: c.high,
            low: c.low,
            close: c.close,
          })),
        };
      },
    );
  };
}
