import type { UserId, WalletId } from "../../core/ids.js";
import type { TriggerType } from "../triggers/trigger-types.js";

export const GRANT_STATUSES = ["ACTIVE", "REVOKED", "EXPIRED"] as const;
export type GrantStatus = (typeof GRANT_STATUSES)[number];

/** The limits a user chose for a wallet's automation; the sealed key is bound to all of them. */
export interface GrantLimits {
  readonly maxOrderLamports: bigint;
  readonly maxDailyLamports: bigint;
  readonly orderTypes: readonly TriggerType[];
  readonly expiresAt: number;
}

/** A wallet's automation grant as stored (src/automation/README.md). */
export interface GrantRecord extends GrantLimits {
  readonly id: string;
  readonly userId: UserId;
  readonly walletId: WalletId;
  readonly publicKey: string;
  readonly status: GrantStatus;
  /** The sealed key box's JSON; null once the grant ended (the ciphertext is destroyed). */
  readonly sealedKey: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly endedAt: number | null;
  readonly endReason: string | null;
}

/** A grant as the API shows it: never the sealed key. */
export interface GrantJson {
  readonly id: string;
  readonly walletId: string;
  readonly status: GrantStatus;
  readonly maxOrderLamports: string;
  readonly maxDailyLamports: string;
  /** What firings of the grant spent in the last 24 hours (rolling), lamports. */
  readonly spentTodayLamports: string;
  readonly orderTypes: TriggerType[];
  readonly expiresAt: string;
  readonly createdAt: string;
  readonly endedAt: string | null;
  readonly endReason: string | null;
}

export function toGrantJson(grant: GrantRecord, spentTodayLamports: bigint): GrantJson {
  return {
    id: grant.id,
    walletId: grant.walletId,
    status: grant.status,
    maxOrderLamports: grant.maxOrderLamports.toString(),
    maxDailyLamports: grant.maxDailyLamports.toString(),
    spentTodayLamports: spentTodayLamports.toString(),
    orderTypes: [...grant.orderTypes],
    expiresAt: new Date(grant.expiresAt).toISOString(),
    createdAt: new Date(grant.createdAt).toISOString(),
    endedAt: grant.endedAt === null ? null : new Date(grant.endedAt).toISOString(),
    endReason: grant.endReason,
  };
}
