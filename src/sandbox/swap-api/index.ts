/**
 * Jupiter's swap API (`/swap/v1`: quote, swap, swap-instructions, program-id-to-label; Swap API
 * v2's `/swap/v2/build`) and price API (`/price/v3`) over sandbox pools, so the official
 * `@jup-ag/api` client and Osprey's v2 client work unmodified. The server installs its cosign
 * desk on the chain (validator co-signing of issued swaps: `cosign.ts`).
 */
export { createPriceFeed, type PriceFeed, type UsdPrice } from "./price-feed.js";
export { createQuoteEngine, type PricedRoute, type QuoteEngine } from "./quote-engine.js";
export type { RateLimitOptions } from "./rate-limiter.js";
export { SwapApiError, type SwapApiErrorCode } from "./swap-api-error.js";
export {
  type SwapApiServer,
  type SwapApiServerOptions,
  startSwapApiServer,
} from "./swap-api-server.js";
export {
  createTokenSearch,
  type ListedToken,
  type SearchedToken,
  type TokenSearch,
} from "./token-search.js";
