import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import type { WithdrawalRecord } from "../store/repositories/withdrawals-repository.js";
import type { Store } from "../store/store.js";
import type { WithdrawalSettler } from "./settle-withdrawal.js";

export interface WithdrawalReconcilerOptions {
  readonly store: Store;
  readonly settler: WithdrawalSettler;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly onChange: (withdrawal: WithdrawalRecord) => void;
  readonly intervalMs?: number;
  /** How old an unsigned withdrawal must be before it is declared abandoned. */
  readonly graceMs?: number;
}

export interface WithdrawalReconcileReport {
  readonly resumed: number;
  readonly abandoned: number;
}

/**
 * The order reconciler's rules for withdrawals: signed ones are tracked from the chain again
 * (their stored bytes rebroadcast until they land or their blockhash expires, never re-signed);
 * unsigned ones past the grace period are rejected, since nothing was ever sent.
 */
export function createWithdrawalReconciler(options: WithdrawalReconcilerOptions) {
  const { store, settler, clock, logger } = options;
  const graceMs = options.graceMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<WithdrawalReconcileReport> | undefined;

  async function pass(): Promise<WithdrawalReconcileReport> {
    let resumed = 0;
    let abandoned = 0;
    for (const withdrawal of await store.withdrawals.listUnresolved()) {
      if (withdrawal.rawTransaction !== null) {
        if (settler.isSettling(withdrawal.id)) continue;
        resumed++;
        settler.settle(withdrawal, "resume").catch((error: unknown) => {
          logger.warn({ err: error, withdrawalId: withdrawal.id }, "reconcile: still unresolved");
        });
      } else if (clock.now() - withdrawal.createdAt > graceMs) {
        const moved = await store.withdrawals.transition(
          withdrawal.id,
          ["PENDING"],
          "REJECTED",
          { error: "Abandoned before signing (the server stopped); nothing was sent." },
          { reason: "reconciler" },
        );
        if (moved) {
          abandoned++;
          options.onChange(moved);
        }
      }
    }
    if (resumed + abandoned > 0) logger.info({ resumed, abandoned }, "reconciled withdrawals");
    return { resumed, abandoned };
  }

  /** One pass at a time; a call during a pass joins it. */
  function runOnce(): Promise<WithdrawalReconcileReport> {
    running ??= pass().finally(() => {
      running = undefined;
    });
    return running;
  }

  return {
    runOnce,
    /** A first pass now (awaited), then one every interval. */
    async start(): Promise<WithdrawalReconcileReport> {
      const report = await runOnce();
      timer ??= setInterval(() => {
        runOnce().catch((error: unknown) =>
          logger.warn({ err: error }, "withdrawal reconcile pass failed"),
        );
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
