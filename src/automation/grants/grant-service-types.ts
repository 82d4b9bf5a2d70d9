import type { UserId, WalletId } from "../../core/ids.js";
import type { OrderKeySource } from "../../trading/order-engine.js";
import type { TriggerType } from "../triggers/trigger-types.js";
import type { GrantRecord } from "./grant-types.js";

export interface NewGrantInput {
  readonly userId: UserId;
  readonly walletId: WalletId;
  readonly password: string;
  readonly maxOrderLamports: bigint;
  readonly maxDailyLamports: bigint;
  readonly orderTypes: readonly TriggerType[];
  readonly expiresAt: number;
}

/** What one firing signs for: written to the audit log before the key is opened. */
export interface GrantFiring {
  readonly triggerId: string;
  readonly firingNumber: number;
  readonly idempotencyKey: string;
}

/** Why a grant ended, as the triggers it pauses say it. */
export type GrantEndReason = "GRANT_REVOKED" | "GRANT_EXPIRED";

export interface GrantService {
  /** True when the operator set AUTOMATION_KEY (or AUTOMATION_KEY_FILE). */
  readonly enabled: boolean;
  /** Re-encrypts the wallet key under the automation key, bound to the limits; replaces an active grant. */
  grant(input: NewGrantInput): Promise<GrantRecord>;
  /** GRANT_NOT_FOUND when the wallet has no active grant. */
  revoke(userId: UserId, walletId: WalletId): Promise<GrantRecord>;
  /** The wallet's active grant, else its latest one, else null. */
  get(userId: UserId, walletId: WalletId): Promise<GrantRecord | null>;
  /**
   * The key source for one firing: checks ACTIVE and not expired (GRANT_EXPIRED), audits
   * `automation.sign` BEFORE opening, opens, hands the key to the order engine, wipes.
   */
  keySource(grant: GrantRecord, firing: GrantFiring): OrderKeySource;
  /** Ends grants past expiry (EXPIRED, key destroyed, audited); returns them. */
  expireDue(now: number): Promise<GrantRecord[]>;
  /** Lamports the grant's firings spent in the 24 hours before `now`. */
  spentToday(grant: GrantRecord, now: number): Promise<bigint>;
}

export interface GrantHooks {
  /** A new grant: the firing composition resumes the wallet's paused triggers it allows. */
  readonly onGrantCreated?: (grant: GrantRecord) => Promise<void>;
  /** A grant revoked or expired: the firing composition pauses the wallet's triggers. */
  readonly onGrantEnded?: (grant: GrantRecord, reasonCode: GrantEndReason) => Promise<void>;
}
