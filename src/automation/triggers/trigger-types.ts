import type { UserId, WalletId } from "../../core/ids.js";

/** Standing orders a user can arm (src/automation/README.md). */
export const TRIGGER_TYPES = [
  "limit_buy",
  "take_profit",
  "stop_loss",
  "trailing_stop",
  "dca",
] as const;
export type TriggerType = (typeof TRIGGER_TYPES)[number];

export const TRIGGER_STATUSES = [
  "ARMED",
  "PAUSED",
  "FIRING",
  "FIRED",
  "CANCELLED",
  "EXPIRED",
  "FAILED",
] as const;
export type TriggerStatus = (typeof TRIGGER_STATUSES)[number];

/** Statuses a trigger can still leave by firing or by a user's cancel. */
export const ACTIVE_TRIGGER_STATUSES: readonly TriggerStatus[] = ["ARMED", "PAUSED"];

/** Sells size: a percentage of the holding at firing, or an amount in base units. */
export type SellSize = { readonly percent: number } | { readonly amount: bigint };

export type TriggerParams =
  | { type: "limit_buy"; amountLamports: bigint; priceUsd: string }
  // priceUsd is absolute (computed from the average cost when changePercent was given)
  | { type: "take_profit" | "stop_loss"; size: SellSize; priceUsd: string; changePercent?: number }
  | { type: "trailing_stop"; size: SellSize; trailPercent: number }
  | {
      type: "dca";
      amountLamports: bigint;
      intervalMs: number;
      count: number;
      priceMinUsd?: string;
      priceMaxUsd?: string;
    };

export interface TriggerRecord {
  id: string;
  userId: UserId;
  walletId: WalletId;
  type: TriggerType;
  mint: string;
  decimals: number;
  status: TriggerStatus;
  reasonCode: string | null;
  reason: string | null;
  params: TriggerParams;
  /** Decimal USD: the limit_buy / take_profit / stop_loss price. */
  triggerPrice: string | null;
  /** trailing_stop: the highest price seen since armed. */
  highWaterPrice: string | null;
  ocoGroup: string | null;
  acceptRisk: boolean;
  firingNumber: number;
  nextDueAt: number | null;
  leaseOwner: string | null;
  leaseUntil: number | null;
  expiresAt: number;
  createdAt: number;
  updatedAt: number;
  /** Kept inside the params JSON column. */
  slippageBps: number | null;
}

/** What a new trigger is made of: the store adds its id, ARMED status, firing count and times. */
export type NewTrigger = Omit<
  TriggerRecord,
  | "id"
  | "status"
  | "reasonCode"
  | "reason"
  | "firingNumber"
  | "leaseOwner"
  | "leaseUntil"
  | "createdAt"
  | "updatedAt"
>;

/** Fields a status change may set alongside the status. */
export interface TriggerPatch {
  reasonCode?: string | null;
  reason?: string | null;
  nextDueAt?: number | null;
  highWaterPrice?: string | null;
  leaseOwner?: string | null;
  leaseUntil?: number | null;
  firingNumber?: number;
}

export function isTriggerType(value: unknown): value is TriggerType {
  return (TRIGGER_TYPES as readonly unknown[]).includes(value);
}
