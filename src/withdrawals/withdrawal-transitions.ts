import type { WithdrawalStatus } from "../core/withdrawal-status.js";
import { getSourcesIn } from "../core/write-ahead-lifecycle.js";

/**
 * The withdrawal state machine in one table, orders' rules without the quote: REJECTED only
 * before anything was signed; after SIGNED only the chain decides the outcome.
 */
export const WITHDRAWAL_TRANSITIONS = {
  PENDING: ["SIGNED", "REJECTED"],
  SIGNED: ["SUBMITTED", "CONFIRMED", "FAILED", "EXPIRED"],
  SUBMITTED: ["CONFIRMED", "FAILED", "EXPIRED"],
  CONFIRMED: [],
  FAILED: [],
  EXPIRED: [],
  REJECTED: [],
} as const satisfies Record<WithdrawalStatus, readonly WithdrawalStatus[]>;

/** Every status that may move to `to`: the `from` set of the store's compare-and-set. */
export function getWithdrawalSources(to: WithdrawalStatus): WithdrawalStatus[] {
  return getSourcesIn<WithdrawalStatus>(WITHDRAWAL_TRANSITIONS, to);
}
