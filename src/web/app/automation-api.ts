/**
 * Standing orders and automation grants as the terminal calls them (CONTRACTS20.md, "HTTP"):
 * amounts are strings of lamports or base units, prices decimal USD strings, times ISO.
 */
import { call } from "./api.js";

export const TRIGGER_TYPES = [
  "limit_buy",
  "take_profit",
  "stop_loss",
  "trailing_stop",
  "dca",
] as const;
export type TriggerType = (typeof TRIGGER_TYPES)[number];

export const TRIGGER_TYPE_LABELS: Record<TriggerType, string> = {
  limit_buy: "Limit buy",
  take_profit: "Take-profit",
  stop_loss: "Stop-loss",
  trailing_stop: "Trailing stop",
  dca: "DCA",
};

/** Statuses a user may still cancel (the others are running or final). */
export const CANCELLABLE_STATUSES = new Set(["ARMED", "PAUSED"]);
/** Statuses that may still fire or change. */
export const LIVE_STATUSES = new Set(["ARMED", "PAUSED", "FIRING"]);

export interface Grant {
  id: string;
  walletId: string;
  status: "ACTIVE" | "REVOKED" | "EXPIRED";
  maxOrderLamports: string;
  maxDailyLamports: string;
  /** Spent by automated orders in the last 24 hours. */
  spentTodayLamports: string;
  orderTypes: TriggerType[];
  expiresAt: string;
  createdAt: string;
  endedAt: string | null;
  endReason: string | null;
}

export interface WalletAutomation {
  /** The operator set AUTOMATION_KEY: grants can be made. */
  enabled: boolean;
  grant: Grant | null;
}

export interface GrantRequest {
  password: string;
  maxOrderLamports: string;
  maxDailyLamports: string;
  orderTypes: TriggerType[];
  expiresAt: string;
}

/** A sell's size: a share of the holding when it fires, or an amount in base units. */
export type SellSize = { percent: number } | { amount: string };

/** The type's parameters as the server accepted them (amounts as strings). */
export interface TriggerParams {
  type?: TriggerType;
  amountLamports?: string;
  priceUsd?: string;
  changePercent?: number;
  size?: SellSize;
  trailPercent?: number;
  intervalMs?: number;
  count?: number;
  priceMinUsd?: string;
  priceMaxUsd?: string;
}

export interface TriggerOrder {
  firing: number;
  orderId: string | null;
  /** The order's status, or the firing's NOT_PLACED. */
  status: string;
  reasonCode: string | null;
}

export interface Trigger {
  id: string;
  walletId: string;
  type: TriggerType;
  mint: string;
  status: string;
  reasonCode: string | null;
  reason: string | null;
  params: TriggerParams;
  triggerPriceUsd: string | null;
  highWaterPriceUsd: string | null;
  linkedTriggerIds: string[];
  firingCount: number;
  nextDueAt: string | number | null;
  expiresAt: string | number;
  createdAt: string | number;
  updatedAt: string | number;
  orders: TriggerOrder[];
}

const enc = encodeURIComponent;

export const automationApi = {
  walletAutomation: (walletId: string) =>
    call<WalletAutomation>("GET", `/v1/wallets/${enc(walletId)}/automation`),
  grant: (walletId: string, body: GrantRequest) =>
    call<Grant>("POST", `/v1/wallets/${enc(walletId)}/automation`, body),
  revoke: (walletId: string) => call<Grant>("DELETE", `/v1/wallets/${enc(walletId)}/automation`),
  triggers: (limit = 200) => call<{ triggers: Trigger[] }>("GET", `/v1/triggers?limit=${limit}`),
  createTrigger: (body: Record<string, unknown>) => call<Trigger>("POST", "/v1/triggers", body),
  cancelTrigger: (id: string) => call<Trigger>("DELETE", `/v1/triggers/${enc(id)}`),
};

/** A time from the API (ISO text, or milliseconds) as milliseconds; NaN when unreadable. */
export function timeOf(value: string | number | null | undefined): number {
  if (value === null || value === undefined) return Number.NaN;
  return typeof value === "number" ? value : new Date(value).getTime();
}

/** Why a wallet cannot arm `type`, as a sentence; null when it can. */
export function grantRefusal(
  automation: WalletAutomation | undefined,
  type: TriggerType,
  now = Date.now(),
): string | null {
  if (!automation) return "Reading this wallet's automation grant…";
  if (!automation.enabled)
    return "Automation is off on this server: the operator has not set AUTOMATION_KEY.";
  const grant = automation.grant;
  if (grant?.status !== "ACTIVE")
    return "This wallet has no automation grant: grant one on the Wallets screen first.";
  if (timeOf(grant.expiresAt) <= now)
    return "This wallet's automation grant has expired: grant a new one on the Wallets screen.";
  if (!grant.orderTypes.includes(type))
    return `This wallet's grant does not allow ${TRIGGER_TYPE_LABELS[type].toLowerCase()} orders: replace it on the Wallets screen.`;
  return null;
}
