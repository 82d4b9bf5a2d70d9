import { paramsToJson } from "./trigger-params-json.js";
import type { TriggerRecord, TriggerStatus, TriggerType } from "./trigger-types.js";

/** One firing of a trigger as its JSON shows it: the order it placed, or why none was. */
export interface TriggerFiringLike {
  readonly triggerId: string;
  readonly firingNumber: number;
  readonly orderId: string | null;
  /** The order's status, or the firing's (CLAIMED, NOT_PLACED) when it placed none. */
  readonly status: string;
  readonly reasonCode: string | null;
}

/** A trigger as every route and event answers it (CONTRACTS20.md). */
export interface TriggerJson {
  readonly id: string;
  readonly walletId: string;
  readonly type: TriggerType;
  readonly mint: string;
  readonly status: TriggerStatus;
  readonly reasonCode: string | null;
  readonly reason: string | null;
  readonly params: Record<string, unknown>;
  readonly triggerPriceUsd: string | null;
  readonly highWaterPriceUsd: string | null;
  readonly linkedTriggerIds: string[];
  readonly firingCount: number;
  readonly nextDueAt: string | null;
  readonly expiresAt: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly orders: {
    firing: number;
    orderId: string | null;
    status: string;
    reasonCode: string | null;
  }[];
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Params with amounts as strings; DCA's interval also in seconds, as it was asked for. */
function paramsJson(trigger: TriggerRecord): Record<string, unknown> {
  const params = paramsToJson(trigger.params);
  const extra =
    trigger.params.type === "dca" ? { intervalSeconds: trigger.params.intervalMs / 1000 } : {};
  return { ...params, ...extra, slippageBps: trigger.slippageBps, acceptRisk: trigger.acceptRisk };
}

export function toTriggerJson(
  trigger: TriggerRecord,
  firings: readonly TriggerFiringLike[],
  linkedTriggerIds: readonly string[] = [],
): TriggerJson {
  return {
    id: trigger.id,
    walletId: trigger.walletId,
    type: trigger.type,
    mint: trigger.mint,
    status: trigger.status,
    reasonCode: trigger.reasonCode,
    reason: trigger.reason,
    params: paramsJson(trigger),
    triggerPriceUsd: trigger.triggerPrice,
    highWaterPriceUsd: trigger.highWaterPrice,
    linkedTriggerIds: linkedTriggerIds.filter((id) => id !== trigger.id),
    firingCount: trigger.firingNumber,
    nextDueAt: trigger.nextDueAt === null ? null : iso(trigger.nextDueAt),
    expiresAt: iso(trigger.expiresAt),
    createdAt: iso(trigger.createdAt),
    updatedAt: iso(trigger.updatedAt),
    orders: firings
      .filter((firing) => firing.triggerId === trigger.id)
      .sort((a, b) => a.firingNumber - b.firingNumber)
      .map((firing) => ({
        firing: firing.firingNumber,
        orderId: firing.orderId,
        status: firing.status,
        reasonCode: firing.reasonCode,
      })),
  };
}
