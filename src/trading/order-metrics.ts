import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import type { OrderStatus } from "../core/order-status.js";
import type { SessionManager } from "../wallet/session-types.js";

export interface OrderMetrics {
  /** Counts an order reaching `status` and, for terminal ones, its latency since creation. */
  recordStatus(side: "buy" | "sell", status: OrderStatus, elapsedMs?: number): void;
  recordCommission(lamports: bigint): void;
  recordVerdict(verdict: string): void;
  /** Where `orders_waiting` reads, on scrape, how many orders wait for their turn. */
  trackWaiting(read: () => number): void;
}

const CHAIN = "solana";

/** The spec's trading metrics, on the registry it is given (never the global one). */
export function createOrderMetrics(
  registry: Registry,
  sessions: Pick<SessionManager, "countActive">,
): OrderMetrics {
  const orders = new Counter({
    name: "orders_total",
    help: "Orders by final or intermediate status",
    labelNames: ["chain", "side", "status"],
    registers: [registry],
  });
  const latency = new Histogram({
    name: "order_latency_seconds",
    help: "Time from order creation to its final status",
    labelNames: ["chain", "side"],
    buckets: [0.1, 0.5, 1, 2, 5, 10, 30],
    registers: [registry],
  });
  const commission = new Counter({
    name: "commission_lamports_total",
    help: "Commission received in the fee account, lamports",
    registers: [registry],
  });
  const verdicts = new Counter({
    name: "safety_verdicts_total",
    help: "Safety verdicts met by buy orders",
    labelNames: ["verdict"],
    registers: [registry],
  });
  let readWaiting = () => 0;
  new Gauge({
    name: "orders_waiting",
    help: "Order requests waiting for their turn to be prepared (ORDER_CONCURRENCY)",
    registers: [registry],
    collect() {
      this.set(readWaiting());
    },
  });
  new Gauge({
    name: "active_users",
    help: "Users with a live trading session",
    registers: [registry],
    // Read on scrape, so the gauge is right across instances sharing Redis.
    async collect() {
      try {
        this.set((await sessions.countActive()).users);
      } catch {
        // The session store is down: leave the last value rather than fail the scrape.
      }
    },
  });
  return {
    recordStatus(side, status, elapsedMs) {
      orders.inc({ chain: CHAIN, side, status });
      if (elapsedMs !== undefined) latency.observe({ chain: CHAIN, side }, elapsedMs / 1000);
    },
    recordCommission(lamports) {
      if (lamports > 0n) commission.inc(Number(lamports));
    },
    recordVerdict(verdict) {
      verdicts.inc({ verdict });
    },
    trackWaiting(read) {
      readWaiting = read;
    },
  };
}
