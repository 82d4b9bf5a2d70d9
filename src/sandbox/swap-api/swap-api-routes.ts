import { buildV2, parseBuildQuery } from "./build-v2.js";
import type { CosignDesk } from "./cosign.js";
import { type PriceFeed, parsePriceIds } from "./price-feed.js";
import type { QuoteEngine } from "./quote-engine.js";
import { POOL_LABEL, parseQuoteQuery, toQuoteResponse } from "./quote-request.js";
import { serializeInstruction } from "./serialize-instruction.js";
import { invalidRequest, SwapApiError } from "./swap-api-error.js";
import { parseSwapBody } from "./swap-request.js";
import { buildSwap, buildSwapTransaction } from "./swap-transaction.js";
import type { TokenSearch } from "./token-search.js";

export interface RouteContext {
  engine: QuoteEngine;
  cosign: CosignDesk;
  prices: PriceFeed;
  /** The listed tokens for `/tokens/v2/search`; none when the server was given no list. */
  tokens: TokenSearch | null;
  now: () => number;
}

export type RouteHandler = (
  ctx: RouteContext,
  query: URLSearchParams,
  body: unknown,
) => Promise<unknown>;

/** Jupiter's routes by method and path (relative to the server root), answering plain JSON. */
export const SWAP_API_ROUTES: Record<string, RouteHandler> = {
  "GET /swap/v1/quote": async (ctx, query) => {
    const started = ctx.now();
    const params = parseQuoteQuery(query);
    const route = ctx.engine.route(params);
    return toQuoteResponse(params, route, (ctx.now() - started) / 1000);
  },
  "POST /swap/v1/swap": async (ctx, _query, body) => {
    const swap = await buildSwapTransaction(ctx.engine, parseSwapBody(body));
    return {
      swapTransaction: swap.swapTransaction,
      lastValidBlockHeight: Number(swap.lastValidBlockHeight),
      prioritizationFeeLamports: Number(swap.prioritizationFeeLamports),
      computeUnitLimit: swap.computeUnitLimit,
      prioritizationType: {
        computeBudget: {
          microLamports: Number(swap.computeUnitPriceMicroLamports),
          estimatedMicroLamports: Number(swap.computeUnitPriceMicroLamports),
        },
      },
      simulationError: swap.simulationError === null ? null : { error: swap.simulationError },
    };
  },
  "POST /swap/v1/swap-instructions": async (ctx, _query, body) => {
    const built = await buildSwap(ctx.engine, parseSwapBody(body));
    const { plan } = built;
    const table = ctx.engine.getLookupTable();
    ctx.cosign.issue(plan.route.pool, [
      ...plan.setup,
      plan.swap,
      ...(plan.cleanup ? [plan.cleanup] : []),
    ]);
    return {
      tokenLedgerInstruction: null,
      otherInstructions: [],
      computeBudgetInstructions: built.computeBudget.map(serializeInstruction),
      setupInstructions: built.plan.setup.map(serializeInstruction),
      swapInstruction: serializeInstruction(built.plan.swap),
      cleanupInstruction: built.plan.cleanup ? serializeInstruction(built.plan.cleanup) : null,
      addressLookupTableAddresses: table ? [table.address] : [],
      computeUnitLimit: built.computeUnitLimit,
      prioritizationFeeLamports: Number(built.prioritizationFeeLamports),
      // The pool authority must co-sign a transaction built from these: POST /swap/v1/cosign.
      signers: [built.plan.route.pool.id],
    };
  },
  "POST /swap/v1/cosign": async (ctx, _query, body) => {
    const transaction =
      typeof body === "object" && body !== null
        ? (body as { transaction?: unknown }).transaction
        : undefined;
    if (typeof transaction !== "string") throw invalidRequest("transaction (base64) is required");
    return { transaction: await ctx.cosign.cosign(transaction) };
  },
  // Swap API v2: the quote and the instructions in one round trip; the validator co-signs.
  "GET /swap/v2/build": async (ctx, query) => {
    const started = ctx.now();
    return buildV2(ctx.engine, ctx.cosign, parseBuildQuery(query), started, ctx.now);
  },
  "GET /swap/v1/program-id-to-label": async (ctx) =>
    Object.fromEntries(ctx.engine.pools.all().map((pool) => [pool.id, POOL_LABEL])),
  "GET /price/v3": async (ctx, query) => ctx.prices.getPrices(parsePriceIds(query.get("ids"))),
  "GET /tokens/v2/search": async (ctx, query) => {
    if (!ctx.tokens) return [];
    return ctx.tokens.search(query.get("query"));
  },
};

export function routeNotFound(method: string, path: string): SwapApiError {
  return new SwapApiError("NOT_FOUND", `No route ${method} ${path}`);
}
