import type { EndpointStatus } from "../chain/endpoint-health.js";
import type { Clock } from "../core/clock.js";
import type { Store } from "../store/store.js";
import { formatUsdMicros } from "../trading/price-client.js";

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

export interface OperatorOverviewOptions {
  readonly store: Pick<Store, "operator" | "users">;
  readonly clock: Clock;
  /** The chain client's endpoint health (`chain.pool.getStatus`), when there is a chain. */
  readonly getRpcStatus?: () => readonly EndpointStatus[];
  readonly userLimit?: number;
  readonly failureLimit?: number;
}

/** A breaker letting calls through and no 429 back-off: the pool routes to it. */
function isHealthy(status: EndpointStatus): boolean {
  return status.state.kind === "closed" && status.backoffUntil === undefined;
}

/**
 * What an operator needs at a glance (CONTRACTS17.md, "Operator"): users, orders by status,
 * volume and commission per UTC day, the RPC endpoints' health (URLs as redactUrl prints them:
 * no credentials, query or key-like path segment), and the latest failed orders with reasons.
 */
export function createOperatorOverview(options: OperatorOverviewOptions) {
  const { store, clock } = options;
  const userLimit = options.userLimit ?? 500;
  const failureLimit = options.failureLimit ?? 20;
  return async (days: number) => {
    const today = Math.floor(clock.now() / DAY_MS);
    const [total, list, ordersByStatus, daily, failures] = await Promise.all([
      store.users.count(),
      store.operator.listUsers(userLimit),
      store.operator.countOrdersByStatus(),
      store.operator.getDailyTotals((today - days + 1) * DAY_MS),
      store.operator.listRecentFailures(failureLimit),
    ]);
    return {
      users: {
        total,
        list: list.map((user) => ({ ...user, createdAt: iso(user.createdAt) })),
      },
      ordersByStatus,
      daily: daily.map((day) => ({
        day: iso(day.dayNumber * DAY_MS).slice(0, 10),
        orders: day.orders,
        confirmed: day.confirmed,
        volumeLamports: day.volumeLamports.toString(),
        commissionLamports: day.commissionLamports.toString(),
        commissionUsd: formatUsdMicros(day.commissionUsdMicros),
      })),
      rpc: (options.getRpcStatus?.() ?? []).map((status) => ({
        url: status.endpoint,
        healthy: isHealthy(status),
        state: status.state.kind,
        latencyMs: status.latencyMs === undefined ? null : Math.round(status.latencyMs * 10) / 10,
        weight: status.weight,
        requests: status.requests,
        errors: status.errors,
        lastError: status.lastError ?? null,
      })),
      recentFailures: failures.map((failure) => ({ ...failure, at: iso(failure.at) })),
    };
  };
}

export type OperatorOverview = Awaited<ReturnType<ReturnType<typeof createOperatorOverview>>>;
