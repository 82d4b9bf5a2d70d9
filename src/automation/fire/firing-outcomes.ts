import { isTerminalOrderStatus } from "../../core/order-status.js";
import type { OrderRecord } from "../../store/repositories/orders-repository.js";
import type { FiringRecord } from "../../store/repositories/trigger-firings-repository.js";
import type { TriggerRecord, TriggerStatus } from "../triggers/trigger-types.js";
import { describeChecks, type FiringFailure } from "./firing-errors.js";
import type { TriggerFirerOptions } from "./trigger-firer.js";

const CLEAR_LEASE = { leaseOwner: null, leaseUntil: null } as const;

const SAFETY_CODES = new Set(["SAFETY_BLOCKED", "RISK_NOT_ACCEPTED"]);

/** Why an order was rejected: its REJECTED event's detail (`code`, or the reconciler's `reason`). */
type Rejection = { code?: unknown; reason?: unknown; checks?: unknown } | null;

/**
 * Where a one-shot trigger goes when its order is final. A rejection nothing was sent for and no
 * safety check caused (abandoned before signing: a crash) arms it again, for a new firing number.
 */
function endFor(order: Pick<OrderRecord, "status" | "error">, rejection: Rejection) {
  switch (order.status) {
    case "CONFIRMED":
      return { status: "FIRED" as const, reasonCode: null, reason: null };
    case "REJECTED": {
      const code = String(rejection?.code ?? "");
      if (SAFETY_CODES.has(code))
        return {
          status: "CANCELLED" as const,
          reasonCode: code,
          reason: describeChecks(rejection?.checks),
        };
      if (rejection?.reason === "reconciler")
        return { status: "ARMED" as const, reasonCode: null, reason: null };
      return {
        status: "FAILED" as const,
        reasonCode: code || "ORDER_REJECTED",
        reason: order.error,
      };
    }
    case "EXPIRED":
      return { status: "FAILED" as const, reasonCode: "ORDER_EXPIRED", reason: order.error };
    default:
      return { status: "FAILED" as const, reasonCode: "ORDER_FAILED", reason: order.error };
  }
}

/** The trigger transitions after a placement, a refusal, or an order's end. */
export function createFiringOutcomes(options: TriggerFirerOptions) {
  const { store, clock, metrics } = options;

  /** Re-reads the trigger and tells the user; returns it. */
  async function changed(triggerId: string): Promise<TriggerRecord | undefined> {
    const trigger = await store.triggers.findById(triggerId);
    if (trigger) await options.onTriggerChange(trigger);
    return trigger;
  }

  async function move(
    trigger: TriggerRecord,
    from: TriggerStatus[],
    to: TriggerStatus,
    patch: Parameters<typeof store.triggers.setStatus>[3] = {},
  ) {
    const moved = await store.triggers.setStatus(trigger.id, from, to, patch);
    if (moved) await options.onTriggerChange(moved);
    if (moved && (to === "FAILED" || (to === "CANCELLED" && patch.reasonCode)))
      metrics.failed(patch.reasonCode ?? to);
    return moved;
  }

  /** The trigger's current firing's order is final: a one-shot (or a DCA's last) ends with it. */
  async function finish(orderId: string): Promise<void> {
    const firing = await store.triggerFirings.findByOrder(orderId);
    if (!firing) return;
    const [trigger, order] = await Promise.all([
      store.triggers.findById(firing.triggerId),
      store.orders.findById(orderId as OrderRecord["id"]),
    ]);
    if (!trigger || !order || !isTerminalOrderStatus(order.status)) return;
    // A DCA between buys is ARMED again: its earlier orders do not end it.
    if (trigger.status !== "FIRING" || trigger.firingNumber !== firing.firingNumber) return;
    const events = order.status === "REJECTED" ? await store.orders.listEvents(order.id) : [];
    const rejected = events.find((event) => event.status === "REJECTED")?.detail ?? null;
    const end = endFor(order, rejected);
    await move(trigger, ["FIRING"], end.status, { ...end, ...CLEAR_LEASE });
  }

  async function cancelLinked(trigger: TriggerRecord): Promise<void> {
    if (trigger.ocoGroup === null) return;
    for (const other of await store.triggers.listGroup(trigger.ocoGroup)) {
      if (other.id === trigger.id) continue;
      await move(other, ["ARMED", "PAUSED"], "CANCELLED", {
        reasonCode: "LINKED_TRIGGER_FIRED",
        reason: `Linked trigger ${trigger.id} fired.`,
      });
    }
  }

  async function placed(trigger: TriggerRecord, firing: FiringRecord, order: OrderRecord) {
    // Only the instance that recorded the placement moves the trigger on (a resumed firing may
    // find its order placed twice over: once by the dead instance's engine call, once here).
    if (!(await store.triggerFirings.markPlaced(trigger.id, firing.firingNumber, order.id))) return;
    metrics.fired(trigger.type);
    await cancelLinked(trigger);
    const { params } = trigger;
    if (params.type === "dca" && firing.firingNumber < params.count) {
      const now = clock.now();
      const due = (trigger.nextDueAt ?? now) + params.intervalMs;
      // On schedule: the previous due time + interval. Late (it waited for its band): one
      // interval from now, so missed buys are not made up in a burst.
      await move(trigger, ["FIRING"], "ARMED", {
        nextDueAt: due > now ? due : now + params.intervalMs,
        ...CLEAR_LEASE,
      });
      return;
    }
    if (isTerminalOrderStatus(order.status)) await finish(order.id);
    else await changed(trigger.id);
  }

  async function failed(
    trigger: TriggerRecord,
    firing: FiringRecord,
    failure: Exclude<FiringFailure, { kind: "transient" }>,
  ) {
    const n = firing.firingNumber;
    switch (failure.kind) {
      case "price_not_met":
        // Back to ARMED as the user last saw it: nothing to announce.
        await store.triggerFirings.release(trigger.id, n);
        return;
      case "grant":
        await store.triggerFirings.markNotPlaced(trigger.id, n, failure.code, null);
        await move(trigger, ["FIRING"], "PAUSED", {
          reasonCode: failure.code,
          reason: "The automation grant can no longer sign.",
          ...CLEAR_LEASE,
        });
        return;
      case "safety":
        if (failure.orderId) await store.triggerFirings.markPlaced(trigger.id, n, failure.orderId);
        else await store.triggerFirings.markNotPlaced(trigger.id, n, failure.code, failure.reason);
        await move(trigger, ["FIRING"], "CANCELLED", {
          reasonCode: failure.code,
          reason: failure.reason,
          ...CLEAR_LEASE,
        });
        return;
      case "permanent":
        await store.triggerFirings.markNotPlaced(trigger.id, n, failure.code, failure.reason);
        await move(trigger, ["FIRING"], "FAILED", {
          reasonCode: failure.code,
          reason: failure.reason,
          ...CLEAR_LEASE,
        });
        return;
    }
  }

  return { changed, finish, placed, failed };
}
