import type { RpcTransport } from "@solana/kit";
import { type Clock, isOspreyError, OspreyError } from "../core/index.js";
import {
  type BreakerStrategy,
  createAnyOfBreakerStrategy,
  createConsecutiveBreakerStrategy,
  createSamplingBreakerStrategy,
} from "./breaker/index.js";
import type { ChainMetrics } from "./chain-metrics.js";
import { getTransportWithCircuitBreaker } from "./circuit-breaker-transport.js";
import {
  createEndpointHealth,
  type EndpointHealth,
  type EndpointStatus,
} from "./endpoint-health.js";
import { createEndpointHttpTransport } from "./http-transport.js";
import { getTransportWithMetrics } from "./metrics-transport.js";
import type { RpcEndpointConfig } from "./parse-rpc-endpoints.js";
import { getRequestMethod, isRetryableRequest } from "./rpc-request.js";
import { selectEndpoint } from "./select-endpoint.js";
import { getTransportWithTimeout } from "./timeout-transport.js";
import type { Timers } from "./timers.js";

export interface RpcPoolOptions {
  readonly endpoints: readonly RpcEndpointConfig[];
  readonly clock: Clock;
  readonly random: () => number;
  readonly timers: Timers;
  readonly metrics?: ChainMetrics;
  readonly timeoutMs?: number;
  readonly methodTimeoutsMs?: Readonly<Record<string, number>>;
  /** A fresh strategy per endpoint; default: 5 failures in a row, or ≥50% of ≥10 calls in 30 s. */
  readonly createBreakerStrategy?: () => BreakerStrategy;
  /** Open time before the first probe (default 5 s); doubles per failed probe up to the max (60 s). */
  readonly resetAfterMs?: number;
  readonly maxResetAfterMs?: number;
  readonly defaultRetryAfterMs?: number;
  /** Attempts per read across endpoints; default endpoints + 1. */
  readonly maxAttempts?: number;
  /** The innermost transport per endpoint; default `createEndpointHttpTransport`. */
  readonly createHttpTransport?: (endpoint: RpcEndpointConfig) => RpcTransport;
  /** Requests per JSON-RPC batch for the default transport; 1 (default) sends each alone. */
  readonly maxBatch?: number;
}

export interface PoolEndpoint {
  readonly config: RpcEndpointConfig;
  /** This endpoint alone, behind its timeout, metrics and breaker: for broadcasting. */
  readonly transport: RpcTransport;
  isAvailable(): boolean;
}

export interface RpcPool {
  /** Routes by weight and latency among healthy endpoints; reads fail over, sends don't. */
  readonly transport: RpcTransport;
  readonly endpoints: readonly PoolEndpoint[];
  getStatus(): EndpointStatus[];
}

const CIRCUIT_STATE_VALUE = { closed: 0, "half-open": 1, open: 2 } as const;

export function createRpcPool(options: RpcPoolOptions): RpcPool {
  const { clock, random, metrics } = options;
  if (options.endpoints.length === 0)
    throw new OspreyError("RPC_CONFIG_INVALID", "No RPC endpoint");
  const createStrategy = options.createBreakerStrategy ?? defaultBreakerStrategy;
  const createHttp =
    options.createHttpTransport ??
    ((endpoint: RpcEndpointConfig) =>
      createEndpointHttpTransport(endpoint, { maxBatch: options.maxBatch ?? 1 }));

  const members = options.endpoints.map((config) => {
    const health = createEndpointHealth({
      config,
      clock,
      strategy: createStrategy(),
      resetAfterMs: options.resetAfterMs ?? 5_000,
      maxResetAfterMs: options.maxResetAfterMs ?? 60_000,
      defaultRetryAfterMs: options.defaultRetryAfterMs ?? 1_000,
      latencyHalfLifeMs: 10_000,
      onStateChange: (state) =>
        metrics?.circuitState.set({ endpoint: config.label }, CIRCUIT_STATE_VALUE[state.kind]),
    });
    metrics?.circuitState.set({ endpoint: config.label }, 0);
    let transport = getTransportWithTimeout(createHttp(config), {
      timers: options.timers,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.methodTimeoutsMs === undefined
        ? {}
        : { methodTimeoutsMs: options.methodTimeoutsMs }),
    });
    if (metrics) transport = getTransportWithMetrics(transport, metrics, config.label, clock);
    transport = getTransportWithCircuitBreaker(transport, health, clock);
    return { health, transport };
  });
  const byHealth = new Map<EndpointHealth, RpcTransport>(
    members.map(({ health, transport }) => [health, transport]),
  );
  const maxAttempts = options.maxAttempts ?? members.length + 1;

  const transport = (async <TResponse>(config: Parameters<RpcTransport>[0]) => {
    const retryable = isRetryableRequest(config.payload);
    const tried = new Set<EndpointHealth>();
    let lastError: unknown;
    for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
      const available = members.map((m) => m.health).filter((health) => health.isAvailable());
      const untried = available.filter((health) => !tried.has(health));
      const pick = selectEndpoint(untried.length > 0 ? untried : available, random);
      if (pick === undefined) break;
      tried.add(pick);
      try {
        return await (byHealth.get(pick) as RpcTransport)<TResponse>(config);
      } catch (error) {
        if (config.signal?.aborted || !retryable) throw error;
        lastError = error;
      }
    }
    if (isOspreyError(lastError, "RPC_ENDPOINT_ERROR") && "response" in lastError.context) {
      // Every endpoint said it is unhealthy: hand the caller the node's own error.
      return lastError.context.response as TResponse;
    }
    throw new OspreyError(
      "RPC_UNAVAILABLE",
      `No RPC endpoint could serve ${getRequestMethod(config.payload)}`,
      { method: getRequestMethod(config.payload), tried: [...tried].map((h) => h.config.label) },
      lastError === undefined ? undefined : { cause: lastError },
    );
  }) as RpcTransport;

  return {
    transport,
    endpoints: members.map(({ health, transport: endpointTransport }) => ({
      config: health.config,
      transport: endpointTransport,
      isAvailable: () => health.isAvailable(),
    })),
    getStatus: () => members.map(({ health }) => health.getStatus()),
  };
}

function defaultBreakerStrategy(): BreakerStrategy {
  return createAnyOfBreakerStrategy([
    createConsecutiveBreakerStrategy(5),
    createSamplingBreakerStrategy({ threshold: 0.5, windowMs: 30_000, minimumCalls: 10 }),
  ]);
}
