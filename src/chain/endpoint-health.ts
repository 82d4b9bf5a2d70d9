import type { Clock } from "../core/index.js";
import { redactUrl } from "../core/redact-url.js";
import type { BreakerStrategy } from "./breaker/index.js";
import { type BreakerState, type CircuitBreaker, createCircuitBreaker } from "./breaker/index.js";
import { createEwma } from "./ewma.js";
import type { RpcEndpointConfig } from "./parse-rpc-endpoints.js";
import type { RpcOutcome } from "./rpc-outcome.js";

export interface EndpointStatus {
  readonly endpoint: string;
  readonly wsEndpoint: string;
  readonly weight: number;
  readonly state: BreakerState;
  /** EWMA of request latency, ms; undefined before the first answer. */
  readonly latencyMs: number | undefined;
  readonly requests: number;
  readonly errors: number;
  /** Set while a 429's Retry-After keeps the endpoint out of rotation. */
  readonly backoffUntil: number | undefined;
  readonly lastError: string | undefined;
}

/** Everything the pool knows about one endpoint: breaker, latency, counts, rate-limit back-off. */
export interface EndpointHealth {
  readonly config: RpcEndpointConfig;
  readonly breaker: CircuitBreaker;
  /** Closed (or due for its probe) and not backing off after a 429. */
  isAvailable(): boolean;
  getLatencyMs(): number | undefined;
  record(outcome: RpcOutcome, durationMs: number): void;
  getStatus(): EndpointStatus;
}

export interface EndpointHealthOptions {
  readonly config: RpcEndpointConfig;
  readonly clock: Clock;
  readonly strategy: BreakerStrategy;
  readonly resetAfterMs: number;
  readonly maxResetAfterMs: number;
  /** Back-off after a 429 that carries no Retry-After. */
  readonly defaultRetryAfterMs: number;
  readonly latencyHalfLifeMs: number;
  readonly onStateChange?: (state: BreakerState) => void;
}

export function createEndpointHealth(options: EndpointHealthOptions): EndpointHealth {
  const { config, clock } = options;
  const breaker = createCircuitBreaker({
    strategy: options.strategy,
    resetAfterMs: options.resetAfterMs,
    maxResetAfterMs: options.maxResetAfterMs,
    clock,
    ...(options.onStateChange ? { onStateChange: options.onStateChange } : {}),
  });
  const latency = createEwma(options.latencyHalfLifeMs);
  let requests = 0;
  let errors = 0;
  let backoffUntil = 0;
  let lastError: string | undefined;

  return {
    config,
    breaker,
    isAvailable: () => clock.now() >= backoffUntil && breaker.isAvailable(),
    getLatencyMs: () => latency.get(),
    record(outcome, durationMs) {
      if (outcome.kind === "aborted") return;
      requests += 1;
      latency.add(durationMs, clock.now());
      if (outcome.kind !== "fault") return;
      errors += 1;
      lastError = outcome.reason;
      if (outcome.reason === "http-429") {
        backoffUntil = clock.now() + (outcome.retryAfterMs ?? options.defaultRetryAfterMs);
      }
    },
    getStatus: () => ({
      endpoint: config.label,
      wsEndpoint: redactUrl(config.wsUrl),
      weight: config.weight,
      state: breaker.getState(),
      latencyMs: latency.get(),
      requests,
      errors,
      backoffUntil: backoffUntil > clock.now() ? backoffUntil : undefined,
      lastError,
    }),
  };
}
