import { createSolanaRpcFromTransport, type RpcTransport } from "@solana/kit";
import type { Registry } from "prom-client";
import type { Clock } from "../core/index.js";
import {
  type BlockhashCache,
  type BlockhashCacheOptions,
  createBlockhashCache,
} from "./blockhash-cache.js";
import { createChainMetrics } from "./chain-metrics.js";
import { parseRpcEndpoints, type RpcEndpointConfig } from "./parse-rpc-endpoints.js";
import {
  createPriorityFeeEstimator,
  type PriorityFeeEstimator,
  type PriorityFeeOptions,
} from "./priority-fee-estimator.js";
import { createRpcPool, type RpcPool, type RpcPoolOptions } from "./rpc-pool.js";
import {
  createSignatureStatusPoller,
  type SignatureStatusPoller,
} from "./signature-status-poller.js";
import { systemTimers, type Timers } from "./timers.js";
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
  const lander = createTransactionLander({
    endpoints: pool.endpoints.map((endpoint) => ({
      label: endpoint.config.label,
      rpc: createSolanaRpcFromTransport(endpoint.transport),
      isAvailable: endpoint.isAvailable,
    })),
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
    start: () => blockhashes.start(),
    close() {
      blockhashes.stop();
      lander.close();
      poller.close();
    },
  };
}
