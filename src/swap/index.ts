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
export { type SwapOperation, toSwapError, toSwapResponseError } from "./swap-errors.js";
export {
  type BuildRequest,
  type BuiltSwapV2,
  createSwapV2Client,
  type SwapInstruction,
  type SwapV2Client,
  type SwapV2ClientOptions,
} from "./swap-v2-client.js";
