import type { UserSettings } from "../accounts/user-settings.js";
import type { ChainClient } from "../chain/chain-client.js";
import type { Address } from "../core/addresses.js";
import type { Clock } from "../core/clock.js";
import type { UserId } from "../core/ids.js";
import type { Logger } from "../core/logger.js";
import type { TokenAnalyzer } from "../safety/token-analyzer.js";
import type { Store } from "../store/store.js";
import type { SwapClient } from "../swap/swap-client.js";
import type { SwapV2Client } from "../swap/swap-v2-client.js";
import type { SessionManager } from "../wallet/session-types.js";
import type { ComputeUnitCache } from "./compute-units.js";
import type { OrderMetrics } from "./order-metrics.js";
import type { PriceClient } from "./price-client.js";

/** Private landing (Jito block engines, Sender endpoints), when the chain client has it. */
export interface PrivateLanding {
  readonly landingRoutes?: { hasPrivate(): boolean };
  readonly tips?: {
    resolve(override?: bigint | null): Promise<{ lamports: bigint; account: string }>;
  };
}

/** Everything the order engine and the reconciler work with, built in the composition root. */
export interface OrderDeps {
  readonly store: Store;
  readonly sessions: SessionManager;
  readonly chain: Pick<ChainClient, "rpc" | "lander" | "priorityFees"> & PrivateLanding;
  readonly swapClient: SwapClient;
  /** `JUPITER_SWAP_API`: v2 (with `swapV2`) builds orders with `/build`; v1 quotes then swaps. */
  readonly swapApi?: "v1" | "v2" | undefined;
  readonly swapV2?: Pick<SwapV2Client, "build"> | undefined;
  /** The user's trading defaults for what an order leaves out (v2). */
  readonly settings?: { get(userId: UserId): Promise<UserSettings> } | undefined;
  /** Compute units per route (the engine makes one when absent). */
  readonly computeUnits?: ComputeUnitCache;
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
