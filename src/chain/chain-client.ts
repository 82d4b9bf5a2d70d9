import { createSolanaRpcFromTransport, type RpcTransport } from "@solana/kit";
import type { Registry } from "prom-client";
import { type Clock, OspreyError } from "../core/index.js";
import {
  type BlockhashCache,
  type BlockhashCacheOptions,
  createBlockhashCache,
} from "./blockhash-cache.js";
import { createChainMetrics } from "./chain-metrics.js";
import { createBlockEngineHttpTransport, createJitoClient } from "./jito-client.js";
import {
  createJitoLandingRoute,
  createLandingRoutes,
  createRpcLandingRoute,
  createSenderLandingRoute,
  type JitoSendMethod,
  type LandingRoute,
  type LandingRoutes,
  parsePrivateRouteUrls,
} from "./landing-routes.js";
import { parseRpcEndpoints, type RpcEndpointConfig } from "./parse-rpc-endpoints.js";
import {
  createPriorityFeeEstimator,
  type PriorityFeeEstimator,
  type PriorityFeeOptions,
} from "./priority-fee-estimator.js";
import { createPrivateRouteTransport } from "./private-route-transport.js";
import { createRpcPool, type RpcPool, type RpcPoolOptions } from "./rpc-pool.js";
import { createSenderClient } from "./sender-client.js";
import {
  createSignatureStatusPoller,
  type SignatureStatusPoller,
} from "./signature-status-poller.js";
import { systemTimers, type Timers } from "./timers.js";
import { createTipResolver, type TipOptions, type TipResolver } from "./tip-resolver.js";
import {
  createTransactionLander,
  type TransactionLander,
  type TransactionLanderOptions,
} from "./transaction-lander.js";

export interface ChainClientOptions
  extends Pick<
    RpcPoolOptions,
    | "timeoutMs"
    | "methodTimeoutsMs"
    | "createBreakerStrategy"
    | "resetAfterMs"
    | "maxResetAfterMs"
    | "maxAttempts"
    | "createHttpTransport"
    | "maxBatch"
  > {
  /** Parsed endpoints, or a `SOLANA_RPC_URLS` string (`https://a|5,https://b|1`). */
  readonly endpoints: readonly RpcEndpointConfig[] | string;
  readonly clock: Clock;
  readonly random: () => number;
  readonly timers?: Timers;
  readonly registry?: Registry;
  readonly blockhash?: Pick<BlockhashCacheOptions, "refreshMs" | "maxAgeMs" | "commitment">;
  readonly priorityFee?: Omit<PriorityFeeOptions, "rpc">;
  readonly lander?: Pick<TransactionLanderOptions, "rebroadcastMs" | "preflight" | "onEvent"> & {
    readonly pollIntervalMs?: number;
  };
  /**
   * Private routes: Jito-compatible block engines (base URLs, JITO_URLS) and tipped
   * `sendTransaction` services (SENDER_URLS). Comma-separated strings or lists. Each sits behind
   * its own timeout, metrics and circuit breaker, as an RPC endpoint does.
   */
  readonly privateRoutes?: {
    readonly jito?: string | readonly string[] | undefined;
    readonly sender?: string | readonly string[] | undefined;
    /** How a block engine is sent one transaction (default `sendBundle`). */
    readonly jitoMethod?: JitoSendMethod;
  };
  /** How `tips.resolve` decides a tip (JITO_TIP_*). */
  readonly tips?: Omit<TipOptions, "fetch"> & { readonly fetch?: typeof fetch };
  /** Background failures (blockhash refresh, status polls) that callers never see otherwise. */
  readonly onError?: (error: unknown) => void;
}

export interface ChainClient {
  readonly pool: RpcPool;
  /** kit's Solana RPC over the pool: reads fail over, sends go to one healthy endpoint. */
  readonly rpc: ReturnType<typeof createSolanaRpcFromTransport<RpcTransport>>;
  readonly blockhashes: BlockhashCache;
  readonly priorityFees: PriorityFeeEstimator;
  readonly poller: SignatureStatusPoller;
  readonly lander: TransactionLander;
  /** The routes the lander sends through; `hasPrivate()` says whether MEV protection is possible. */
  readonly landingRoutes: LandingRoutes;
  /** Tips for protected transactions: amount and tip account (CONTRACTS19 §3). */
  readonly tips: TipResolver;
  /** Starts the background blockhash refresh (first fetch awaited). */
  start(): Promise<void>;
  /** Stops timers and every landing in flight (they reject with LANDER_CLOSED). */
  close(): void;
}

/** The whole chain side, built from its parts: pool → rpc → blockhash cache, fees, lander. */
export function createChainClient(options: ChainClientOptions): ChainClient {
  const { clock, random } = options;
  const timers = options.timers ?? systemTimers;
  const endpoints =
    typeof options.endpoints === "string"
      ? parseRpcEndpoints(options.endpoints)
      : options.endpoints;
  const metrics = options.registry === undefined ? undefined : createChainMetrics(options.registry);
  const {
    blockhash,
    priorityFee,
    lander: landerOptions,
    onError,
    registry: _r,
    privateRoutes: privateRouteOptions,
    tips: tipOptions,
    ...poolOptions
  } = options;
  const pool = createRpcPool({
    ...poolOptions,
    endpoints,
    clock,
    random,
    timers,
    ...(metrics === undefined ? {} : { metrics }),
  });
  const rpc = createSolanaRpcFromTransport(pool.transport);
  const errors = onError === undefined ? {} : { onError };
  const blockhashes = createBlockhashCache({ rpc, clock, timers, ...blockhash, ...errors });
  const priorityFees = createPriorityFeeEstimator({ rpc, clock, ...priorityFee });
  const poller = createSignatureStatusPoller({
    rpc,
    timers,
    clock,
    ...(landerOptions?.pollIntervalMs === undefined
      ? {}
      : { intervalMs: landerOptions.pollIntervalMs }),
    ...errors,
  });
  const { pollIntervalMs: _p, ...landerRest } = landerOptions ?? {};
  const landerEndpoints = pool.endpoints.map((endpoint) => ({
    label: endpoint.config.label,
    rpc: createSolanaRpcFromTransport(endpoint.transport),
    isAvailable: endpoint.isAvailable,
  }));
  // Private routes: a pool each (timeout → metrics → breaker per URL), used endpoint by endpoint;
  // plain HTTP, one request per call (the RPC endpoints' transport seam and batching stay theirs).
  const { createHttpTransport: _h, maxBatch: _m, ...privatePoolOptions } = poolOptions;
  const privatePool = (kind: "jito" | "sender") => {
    const configs = parsePrivateRouteUrls(
      privateRouteOptions?.[kind],
      kind === "jito" ? "JITO_URLS" : "SENDER_URLS",
    );
    return configs.length === 0
      ? []
      : createRpcPool({
          ...privatePoolOptions,
          endpoints: configs,
          clock,
          random,
          timers,
          createHttpTransport:
            kind === "jito"
              ? createBlockEngineHttpTransport
              : (endpoint: RpcEndpointConfig) => createPrivateRouteTransport(endpoint.url),
          ...(metrics === undefined ? {} : { metrics }),
        }).endpoints;
  };
  const jitoRoutes: LandingRoute[] = privatePool("jito").map((endpoint) =>
    createJitoLandingRoute(
      createJitoClient(endpoint.transport, endpoint.config.label),
      endpoint.isAvailable,
      privateRouteOptions?.jitoMethod,
    ),
  );
  const senderRoutes: LandingRoute[] = privatePool("sender").map((endpoint) =>
    createSenderLandingRoute(
      createSenderClient(endpoint.transport, endpoint.config.label),
      endpoint.isAvailable,
    ),
  );
  const landingRoutes = createLandingRoutes(landerEndpoints.map(createRpcLandingRoute), [
    ...jitoRoutes,
    ...senderRoutes,
  ]);
  const tips = createTipResolver({
    ...tipOptions,
    clock,
    random,
    getTipAccounts: () => getTipAccounts(landingRoutes),
  });
  const lander = createTransactionLander({
    endpoints: landerEndpoints,
    routes: landingRoutes,
    transport: pool.transport,
    poller,
    clock,
    timers,
    ...landerRest,
    ...(metrics === undefined ? {} : { metrics }),
  });
  return {
    pool,
    rpc,
    blockhashes,
    priorityFees,
    poller,
    lander,
    landingRoutes,
    tips,
    start: () => blockhashes.start(),
    close() {
      blockhashes.stop();
      lander.close();
      poller.close();
    },
  };
}

/** The tip accounts of the first block engine that answers (healthy ones first). */
async function getTipAccounts(routes: LandingRoutes) {
  if (!routes.hasPrivate()) throw new OspreyError("MEV_PROTECTION_UNAVAILABLE");
  const engines = routes.private
    .filter((route) => route.blockEngine !== undefined)
    .sort((a, b) => Number(b.isAvailable()) - Number(a.isAvailable()));
  if (engines.length === 0) {
    throw new OspreyError(
      "TIP_UNAVAILABLE",
      "No block engine (JITO_URLS) to read tip accounts from",
    );
  }
  let lastError: unknown;
  for (const route of engines) {
    try {
      return await (route.blockEngine as NonNullable<LandingRoute["blockEngine"]>).getTipAccounts();
    } catch (error) {
      lastError = error;
    }
  }
  throw new OspreyError(
    "TIP_UNAVAILABLE",
    "No block engine gave its tip accounts",
    {},
    { cause: lastError },
  );
}
