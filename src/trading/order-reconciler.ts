import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
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

export interface ReconcileReport {
  readonly resumed: number;
  readonly abandoned: number;
}

/**
 * Resolves what a crash left behind: signed orders are tracked from the chain again (their
 * stored bytes rebroadcast until they land or their blockhash expires); unsigned ones past the
 * grace period are rejected, since nothing was ever sent.
 */
export function createOrderReconciler(options: OrderReconcilerOptions) {
  const { store, settler, clock, logger } = options;
  const graceMs = options.graceMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<ReconcileReport> | undefined;

  async function pass(): Promise<ReconcileReport> {
    let resumed = 0;
    let abandoned = 0;
    for (const order of await store.orders.listUnresolved()) {
      if (order.rawTransaction !== null) {
        if (settler.isSettling(order.id)) continue;
        resumed++;
        settler.settle(order, "resume").catch((error: unknown) => {
          logger.warn({ err: error, orderId: order.id }, "reconcile: still unresolved");
        });
      } else if (clock.now() - order.createdAt > graceMs) {
        const moved = await store.orders.transition(
          order.id,
          ["PENDING", "QUOTED"],
          "REJECTED",
          { error: "Abandoned before signing (the server stopped); nothing was sent." },
          { reason: "reconciler" },
        );
        if (moved) {
          abandoned++;
          options.metrics?.recordStatus(order.side, "REJECTED", clock.now() - order.createdAt);
        }
      }
    }
    if (resumed + abandoned > 0) logger.info({ resumed, abandoned }, "reconciled orders");
    return { resumed, abandoned };
  }

  /** One pass at a time; a call during a pass joins it. */
  function runOnce(): Promise<ReconcileReport> {
    running ??= pass().finally(() => {
      running = undefined;
    });
    return running;
  }

  return {
    runOnce,
    /** A first pass now (awaited), then one every interval. */
    async start(): Promise<ReconcileReport> {
      const report = await runOnce();
      timer ??= setInterval(() => {
        runOnce().catch((error: unknown) => logger.warn({ err: error }, "reconcile pass failed"));
      }, options.intervalMs ?? 15_000);
      timer.unref();
      return report;
    },
    stop(): void {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}

export type OrderReconciler = ReturnType<typeof createOrderReconciler>;
