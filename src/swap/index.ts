export { createQuoteCache } from "./quote-cache.js";
export {
  type BuildSwapRequest,
  type BuiltSwap,
  createSwapClient,
  type Quote,
  type QuoteRequest,
  type SwapClient,
  type SwapClientOptions,
  type SwapMode,
} from "./swap-client.js";
export { toSwapError } from "./swap-errors.js";
