import { Counter, Gauge, Histogram, type Registry } from "prom-client";

export interface ChainMetrics {
  readonly rpcRequests: Counter<"endpoint" | "method" | "status">;
  readonly rpcDuration: Histogram<"endpoint" | "method">;
  /** 0 closed, 1 half-open, 2 open. */
  readonly circuitState: Gauge<"endpoint">;
  readonly transactionsLanded: Counter<"outcome">;
  readonly landingSeconds: Histogram;
  /** Copies the lander sent, by route kind (rpc, jito, sender) and result (accepted, refused). */
  readonly landingSends: Counter<"route" | "result">;
  /** Bundle statuses read after a landing ends (Jito's Landed, Pending, Failed, Invalid, unknown). */
  readonly bundleStatuses: Counter<"status">;
}

/** The chain client's metrics on the given registry; reuses them if this registry already has them. */
export function createChainMetrics(registry: Registry): ChainMetrics {
  return {
    rpcRequests: get(
      registry,
      "rpc_requests_total",
      () =>
        new Counter({
          name: "rpc_requests_total",
          help: "Solana RPC requests by endpoint, method and outcome",
          labelNames: ["endpoint", "method", "status"] as const,
          registers: [registry],
        }),
    ),
    rpcDuration: get(
      registry,
      "rpc_request_duration_seconds",
      () =>
        new Histogram({
          name: "rpc_request_duration_seconds",
          help: "Solana RPC request duration by endpoint and method",
          labelNames: ["endpoint", "method"] as const,
          buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
          registers: [registry],
        }),
    ),
    circuitState: get(
      registry,
      "rpc_circuit_state",
      () =>
        new Gauge({
          name: "rpc_circuit_state",
          help: "Circuit breaker state per RPC endpoint: 0 closed, 1 half-open, 2 open",
          labelNames: ["endpoint"] as const,
          registers: [registry],
        }),
    ),
    transactionsLanded: get(
      registry,
      "transactions_landed_total",
      () =>
        new Counter({
          name: "transactions_landed_total",
          help: "Transactions tracked by the lander, by final outcome",
          labelNames: ["outcome"] as const,
          registers: [registry],
        }),
    ),
    landingSeconds: get(
      registry,
      "transaction_landing_seconds",
      () =>
        new Histogram({
          name: "transaction_landing_seconds",
          help: "Time from first send to confirmed commitment",
          buckets: [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128],
          registers: [registry],
        }),
    ),
    landingSends: get(
      registry,
      "landing_sends_total",
      () =>
        new Counter({
          name: "landing_sends_total",
          help: "Transaction copies the lander sent, by route kind and whether the route accepted it",
          labelNames: ["route", "result"] as const,
          registers: [registry],
        }),
    ),
    bundleStatuses: get(
      registry,
      "jito_bundle_statuses_total",
      () =>
        new Counter({
          name: "jito_bundle_statuses_total",
          help: "In-flight bundle statuses read from the block engines after each landing ended",
          labelNames: ["status"] as const,
          registers: [registry],
        }),
    ),
  };
}

function get<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}
