import type { ChainClient } from "../chain/chain-client.js";
import type { Address } from "../core/addresses.js";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import type { TokenAnalyzer } from "../safety/token-analyzer.js";
import type { Store } from "../store/store.js";
import type { SwapClient } from "../swap/swap-client.js";
import type { SessionManager } from "../wallet/session-types.js";
import type { OrderMetrics } from "./order-metrics.js";
import type { PriceClient } from "./price-client.js";

/** Everything the order engine and the reconciler work with, built in the composition root. */
export interface OrderDeps {
  readonly store: Store;
  readonly sessions: SessionManager;
  readonly chain: Pick<ChainClient, "rpc" | "lander" | "priorityFees">;
  readonly swapClient: SwapClient;
  readonly analyzer: TokenAnalyzer;
  readonly prices: PriceClient;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics?: OrderMetrics;
  /**
   * The operator's wrapped-SOL token account that receives the commission (`getFeeAccount` of
   * FEE_WALLET); null: no commission is taken.
   */
  readonly feeAccount: Address | null;
  readonly feeBps: number;
}
