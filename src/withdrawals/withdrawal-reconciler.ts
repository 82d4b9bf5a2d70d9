import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import { createReconcileLoop } from "../core/reconcile-loop.js";
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

export type { ReconcileReport as WithdrawalReconcileReport } from "../core/reconcile-loop.js";

/**
 * The order reconciler's rules for withdrawals (core/reconcile-loop.ts): signed ones are
 * tracked from the chain again (their stored bytes rebroadcast until they land or their
 * blockhash expires, never re-signed); unsigned ones past the grace period are rejected.
 */
export function createWithdrawalReconciler(options: WithdrawalReconcilerOptions) {
  const { store, settler, clock, logger } = options;
  return createReconcileLoop<WithdrawalRecord>({
    clock,
    logger,
    intervalMs: options.intervalMs,
    graceMs: options.graceMs,
    listUnresolved: () => store.withdrawals.listUnresolved(),
    isSettling: (withdrawal) => settler.isSettling(withdrawal.id),
    resume: (withdrawal) => settler.settle(withdrawal, "resume"),
    async abandon(withdrawal) {
      const moved = await store.withdrawals.transition(
        withdrawal.id,
        ["PENDING"],
        "REJECTED",
        { error: "Abandoned before signing (the server stopped); nothing was sent." },
        { reason: "reconciler" },
      );
      if (!moved) return false;
      options.onChange(moved);
      return true;
    },
    log: {
      idField: "withdrawalId",
      plural: "withdrawals",
      passFailed: "withdrawal reconcile pass failed",
    },
  });
}
