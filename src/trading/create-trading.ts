import type { Registry } from "prom-client";
import type { ChainClient } from "../chain/chain-client.js";
import type { Address } from "../core/addresses.js";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import type { TokenAnalyzer } from "../safety/token-analyzer.js";
import type { Store } from "../store/store.js";
import type { SwapClient } from "../swap/swap-client.js";
import type { SessionManager } from "../wallet/session-types.js";
import { type OnOrderChange, withOrderNotifications } from "./notify-order-changes.js";
import { createOrderEngine, type OrderEngineOptions } from "./order-engine.js";
import { createOrderMetrics } from "./order-metrics.js";
import { createOrderReconciler } from "./order-reconciler.js";
import { createPriceClient } from "./price-client.js";

export interface TradingOptions {
  readonly store: Store;
  readonly sessions: SessionManager;
  readonly chain: ChainClient;
  readonly swapClient: SwapClient;
  readonly analyzer: TokenAnalyzer;
  readonly registry: Registry;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly feeAccount: Address | null;
  readonly feeBps: number;
  readonly priceApiUrl: string;
  /** `JUPITER_SWAP_API`; v2 needs `swapV2` (else orders keep v1). */
  readonly swapApi?: "v1" | "v2" | undefined;
  readonly swapV2?: OrderEngineOptions["swapV2"] | undefined;
  /** The users' trading defaults (v2 orders read what they leave out). */
  readonly settings?: OrderEngineOptions["settings"] | undefined;
  readonly waitMs?: number;
  /** Orders prepared at once (`ORDER_CONCURRENCY`); see OrderEngineOptions.concurrency. */
  readonly orderConcurrency?: number;
  readonly reconcileIntervalMs?: number;
  readonly shouldLand?: OrderEngineOptions["shouldLand"];
  /** Told of every order status change (the event stream publishes it); see notify-order-changes.ts. */
  readonly onOrderChange?: OnOrderChange;
}

/** The trading side of the app: engine, reconciler, prices and metrics, started and stopped together. */
export function createTrading(options: TradingOptions) {
  const { chain, logger } = options;
  const metrics = createOrderMetrics(options.registry, options.sessions);
  const prices = createPriceClient({ baseUrl: options.priceApiUrl, clock: options.clock });
  const {
    shouldLand,
    waitMs,
    orderConcurrency,
    reconcileIntervalMs: _r,
    onOrderChange,
    ...rest
  } = options;
  const store = onOrderChange
    ? withOrderNotifications(options.store, onOrderChange, logger)
    : options.store;
  const deps = { ...rest, store };
  const engine = createOrderEngine({
    ...deps,
    prices,
    metrics,
    ...(shouldLand ? { shouldLand } : {}),
    ...(waitMs === undefined ? {} : { waitMs }),
    ...(orderConcurrency === undefined ? {} : { concurrency: orderConcurrency }),
  });
  const reconciler = createOrderReconciler({
    store,
    settler: engine.settler,
    clock: options.clock,
    logger,
    metrics,
    ...(options.reconcileIntervalMs ? { intervalMs: options.reconcileIntervalMs } : {}),
  });
  return {
    engine,
    reconciler,
    prices,
    /** The blockhash cache, then a reconcile pass over what a previous run left unresolved. */
    async start(): Promise<void> {
      await chain.start().catch((error: unknown) => {
        logger.warn({ err: error }, "blockhash cache: first fetch failed; retrying in background");
      });
      await reconciler.start().catch((error: unknown) => {
        logger.warn({ err: error }, "first reconcile pass failed; retrying periodically");
      });
    },
    /** Call after the chain client closed (landings then stop with LANDER_CLOSED). */
    async stop(): Promise<void> {
      reconciler.stop();
      await engine.drain();
    },
  };
}

export type Trading = ReturnType<typeof createTrading>;
