import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import { createReconcileLoop } from "../core/reconcile-loop.js";
import type { OrderRecord } from "../store/repositories/orders-repository.js";
import type { Store } from "../store/store.js";
import type { OrderMetrics } from "./order-metrics.js";
import type { OrderSettler } from "./settle-order.js";

export interface OrderReconcilerOptions {
  readonly store: Store;
  readonly settler: OrderSettler;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics?: OrderMetrics;
  readonly intervalMs?: number;
  /** How old an unsigned order must be before it is declared abandoned. */
  readonly graceMs?: number;
}

export type { ReconcileReport } from "../core/reconcile-loop.js";

/** The reconcile loop (core/reconcile-loop.ts) over orders: abandoned means PENDING or QUOTED. */
export function createOrderReconciler(options: OrderReconcilerOptions) {
  const { store, settler, clock, logger } = options;
  return createReconcileLoop<OrderRecord>({
    clock,
    logger,
    intervalMs: options.intervalMs,
    graceMs: options.graceMs,
    listUnresolved: () => store.orders.listUnresolved(),
    isSettling: (order) => settler.isSettling(order.id),
    resume: (order) => settler.settle(order, "resume"),
    async abandon(order) {
      const moved = await store.orders.transition(
        order.id,
        ["PENDING", "QUOTED"],
        "REJECTED",
        { error: "Abandoned before signing (the server stopped); nothing was sent." },
        { reason: "reconciler" },
      );
      if (!moved) return false;
      options.metrics?.recordStatus(order.side, "REJECTED", clock.now() - order.createdAt);
      return true;
    },
    log: { idField: "orderId", plural: "orders", passFailed: "reconcile pass failed" },
  });
}

export type OrderReconciler = ReturnType<typeof createOrderReconciler>;
