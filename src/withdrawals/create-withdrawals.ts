import type { ChainClient } from "../chain/chain-client.js";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import type { WithdrawalRecord } from "../store/repositories/withdrawals-repository.js";
import type { Store } from "../store/store.js";
import type { SessionManager } from "../wallet/session-types.js";
import { toWithdrawalJson, type WithdrawalJson } from "./withdrawal-json.js";
import { createWithdrawalReconciler } from "./withdrawal-reconciler.js";
import { createWithdrawalService, type WithdrawalServiceOptions } from "./withdrawal-service.js";

export interface WithdrawalsOptions
  extends Pick<WithdrawalServiceOptions, "waitMs" | "shouldLand"> {
  readonly store: Store;
  readonly sessions: SessionManager;
  readonly chain: Pick<ChainClient, "rpc" | "lander" | "blockhashes">;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Every status change of a withdrawal, as its JSON, for the user's event stream. */
  readonly onWithdrawalChange?: (userId: string, withdrawal: WithdrawalJson) => void;
  readonly reconcileIntervalMs?: number;
}

/** Withdrawals: the service and its reconciler, started and stopped with trading. */
export function createWithdrawals(options: WithdrawalsOptions) {
  const { store, logger, onWithdrawalChange } = options;
  const publish = (withdrawal: WithdrawalRecord) => {
    if (!onWithdrawalChange) return;
    store.withdrawals
      .listEvents(withdrawal.id)
      .then((events) => onWithdrawalChange(withdrawal.userId, toWithdrawalJson(withdrawal, events)))
      .catch((error: unknown) =>
        logger.warn({ err: error, withdrawalId: withdrawal.id }, "withdrawal event not published"),
      );
  };
  const service = createWithdrawalService({
    store,
    sessions: options.sessions,
    chain: options.chain,
    clock: options.clock,
    logger,
    onChange: publish,
    ...(options.waitMs === undefined ? {} : { waitMs: options.waitMs }),
    ...(options.shouldLand ? { shouldLand: options.shouldLand } : {}),
  });
  const reconciler = createWithdrawalReconciler({
    store,
    settler: service.settler,
    clock: options.clock,
    logger,
    onChange: service.onChange,
    ...(options.reconcileIntervalMs ? { intervalMs: options.reconcileIntervalMs } : {}),
  });
  return {
    service,
    reconciler,
    /** A reconcile pass over what a previous run left unresolved, then one periodically. */
    async start(): Promise<void> {
      await reconciler.start().catch((error: unknown) => {
        logger.warn(
          { err: error },
          "first withdrawal reconcile pass failed; retrying periodically",
        );
      });
    },
    /** Call after the chain client closed (landings then stop with LANDER_CLOSED). */
    async stop(): Promise<void> {
      reconciler.stop();
      await service.drain();
    },
  };
}

export type Withdrawals = ReturnType<typeof createWithdrawals>;
