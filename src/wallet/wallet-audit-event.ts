import type { ErrorCode } from "../core/error-codes.js";

export type WalletAuditAction =
  | "wallet.create"
  | "wallet.import"
  | "wallet.unlock"
  | "wallet.export"
  | "wallet.password_change"
  | "session.revoke"
  | "session.revoke_all"
  | AutomationAuditAction;

/**
 * What automation grants (src/automation/grants) write: a grant made (its password check audited
 * like an unlock), revoked, expired, and each signature a firing makes with it, written before the
 * key is opened (a signature that cannot be audited does not happen).
 */
export type AutomationAuditAction =
  | "automation.grant"
  | "automation.revoke"
  | "automation.expire"
  | "automation.sign";

/** One line of the audit log. Built from ids and codes only: never a password, key or token. */
export interface WalletAuditEvent {
  readonly action: WalletAuditAction;
  readonly outcome: "ok" | "failed";
  readonly userId: string;
  readonly walletId?: string;
  readonly sessionId?: string;
  /** The error code of a failure. */
  readonly code?: ErrorCode;
  /** Small non-secret facts: `upgraded`, `passwordChangeRequired`, `revoked` counts. */
  readonly detail?: Readonly<Record<string, string | number | boolean>>;
}

/** Awaited: when the audit log cannot be written, the operation fails rather than go unrecorded. */
export type WalletAudit = (event: WalletAuditEvent) => void | Promise<void>;

/**
 * What the withdrawal service (src/withdrawals) writes to the same audit log: the request,
 * before its key signs (a withdrawal that cannot be audited does not happen), then its outcome.
 */
export type WithdrawalAuditAction =
  | "withdrawal.request"
  | "withdrawal.confirmed"
  | "withdrawal.failed"
  | "withdrawal.expired"
  | "withdrawal.rejected";
