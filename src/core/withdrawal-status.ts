import { isTerminalStatus, TERMINAL_STATUSES } from "./write-ahead-lifecycle.js";

/** The write-ahead withdrawal lifecycle (src/withdrawals/README.md): orders' without QUOTED. */
export const WITHDRAWAL_STATUSES = [
  "PENDING",
  "SIGNED",
  "SUBMITTED",
  "CONFIRMED",
  "FAILED",
  "EXPIRED",
  "REJECTED",
] as const;

export type WithdrawalStatus = (typeof WITHDRAWAL_STATUSES)[number];

export const TERMINAL_WITHDRAWAL_STATUSES: readonly WithdrawalStatus[] = TERMINAL_STATUSES;

export function isTerminalWithdrawalStatus(status: WithdrawalStatus): boolean {
  return isTerminalStatus(status);
}
