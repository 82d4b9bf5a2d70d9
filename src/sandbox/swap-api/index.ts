/**
 * Jupiter's swap API (`/swap/v1`: quote, swap, swap-instructions, program-id-to-label) and price
 * API (`/price/v3`) over sandbox pools, so the official `@jup-ag/api` client works unmodified.
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
