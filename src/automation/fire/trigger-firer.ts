import type { Address } from "../../core/addresses.js";
import { afterImmediates } from "../../core/after-immediates.js";
import type { Clock } from "../../core/clock.js";
import type { UserId } from "../../core/ids.js";
import { isTerminalOrderStatus, type OrderStatus } from "../../core/order-status.js";
import { OspreyError } from "../../core/osprey-error.js";
import type { FiringRecord } from "../../store/repositories/trigger-firings-repository.js";
import type { Store } from "../../store/store.js";
import type { OrderEngine, PlanPrefetch } from "../../trading/order-engine.js";
import type { AutomationMetrics } from "../automation-metrics.js";
import type { GrantService } from "../grants/grant-service.js";
import type { GrantRecord } from "../grants/grant-types.js";
import type { TriggerRecord } from "../triggers/trigger-types.js";
import type { Crossing } from "../watch/trigger-evaluator.js";
import { classifyFiringError } from "./firing-errors.js";
import { buildFiringOrder, executablePriceGuard } from "./firing-order.js";
import { createFiringOutcomes } from "./firing-outcomes.js";

export interface TriggerFirerOptions {
  readonly store: Store;
  readonly engine: Pick<OrderEngine, "placeOrder" | "prefetchPlan">;
  readonly grants: Pick<GrantService, "keySource">;
  readonly clock: Clock;
  /** This instance's name on the leases it takes. */
  readonly instanceId: string;
  readonly leaseMs: number;
  readonly metrics: AutomationMetrics;
  /** A wallet's balance of a mint (base units): sizes fractional-percent sells. */
  readonly holding: (trigger: TriggerRecord) => Promise<bigint>;
  /** Told of every status change (the user's events and webhook). */
  readonly onTriggerChange: (trigger: TriggerRecord) => Promise<void>;
  readonly onError: (error: unknown, triggerId: string) => void;
}

/** What `fire` read and began before its claim, handed to `place`. */
interface Early {
  readonly grant?: GrantRecord;
  readonly prefetched?: PlanPrefetch;
}

const waitForFreshPrice = () => {
  throw new OspreyError(
    "TRIGGER_PRICE_NOT_MET",
    "No fresh SOL price to check the executable price against: the trigger waits for the next tick.",
  );
};

/** A firing that failed for a passing reason is tried again this soon (the lease sweep does it). */
const RETRY_MS = 1_000;

/**
 * Fires crossed triggers exactly once: claim (firing row with the order body), place through
 * the order engine with `trigger:<id>:<n>`, then follow the order to its end.
 */
export function createTriggerFirer(options: TriggerFirerOptions) {
  const { store, clock } = options;
  const busy = new Set<string>();
  const inflight = new Set<Promise<void>>();
  /** Crossing times of this instance's firings, by trigger: the crossing-to-send histogram. */
  const crossedAt = new Map<string, number>();
  const outcomes = createFiringOutcomes(options);

  async function place(
    trigger: TriggerRecord,
    firing: FiringRecord,
    solUsd: number | null,
    early: Early = {},
  ) {
    // The grant read before the claim, if the claim locked that one; else read again.
    const grant =
      early.grant?.id === firing.grantId
        ? early.grant
        : await store.automationGrants.findById(firing.grantId);
    const context = { triggerId: trigger.id, firingNumber: firing.firingNumber };
    try {
      if (!grant) throw grantGone();
      const { order } = await options.engine.placeOrder({
        userId: trigger.userId as UserId,
        key: options.grants.keySource(grant, { ...context, idempotencyKey: firing.idempotencyKey }),
        idempotencyKey: firing.idempotencyKey,
        body: firing.request,
        triggerId: trigger.id,
        ...(early.prefetched ? { prefetched: early.prefetched } : {}),
        // Never placed unchecked: without a fresh SOL price (a resumed firing while the feed is
        // stale) the claim is given back and the next fresh tick decides. An order already
        // placed under this key is found before any guard runs.
        guard: solUsd === null ? waitForFreshPrice : executablePriceGuard(trigger, solUsd),
      });
      await outcomes.placed(trigger, firing, order);
    } catch (error) {
      const failure = classifyFiringError(error);
      if (failure.kind === "transient") {
        options.onError(error, trigger.id);
        await store.triggers.setStatus(trigger.id, ["FIRING"], "FIRING", {
          leaseUntil: clock.now() + RETRY_MS,
        });
        return;
      }
      await outcomes.failed(trigger, firing, failure);
    }
  }

  async function fire(crossing: Crossing<TriggerRecord>): Promise<void> {
    const { trigger } = crossing;
    const order = await buildFiringOrder(trigger, () => options.holding(trigger));
    // A lone firing builds its swap while its claim is written (read-only round trips, wasted
    // only if the claim is refused); in a burst, firings take the order engine's turns instead.
    const grant = await store.automationGrants.findActive(trigger.walletId);
    const prefetched =
      grant && busy.size === 1
        ? options.engine.prefetchPlan({
            userId: trigger.userId as UserId,
            body: order.request,
            publicKey: grant.publicKey as Address,
          })
        : null;
    // Its requests leave before the claim's writes hold the thread.
    if (prefetched) await afterImmediates();
    const claim = await store.triggerFirings.claim({
      triggerId: trigger.id,
      leaseOwner: options.instanceId,
      leaseMs: options.leaseMs,
      crossedAt: crossing.crossedAt,
      ...order,
    });
    if (claim.outcome === "not_armed" || claim.outcome === "sibling_firing") return;
    if (claim.outcome === "refused") {
      options.metrics.failed(claim.reasonCode);
      await outcomes.changed(trigger.id);
      return;
    }
    crossedAt.set(trigger.id, crossing.crossedAt);
    // Announced once placed (or refused for good): a claim the price check gives back is no news.
    await place(trigger, claim.firing, crossing.solUsd, {
      ...(grant ? { grant } : {}),
      ...(prefetched ? { prefetched } : {}),
    });
  }

  /** Runs `work` for a trigger unless this instance is already on it. */
  async function exclusively(triggerId: string, work: () => Promise<void>): Promise<void> {
    if (busy.has(triggerId)) return;
    busy.add(triggerId);
    const running = work()
      .catch((error: unknown) => options.onError(error, triggerId))
      .finally(() => {
        busy.delete(triggerId);
        crossedAt.delete(triggerId);
        inflight.delete(running);
      });
    inflight.add(running);
    await running;
  }

  return {
    isBusy: (triggerId: string) => busy.has(triggerId),
    fire: (crossing: Crossing<TriggerRecord>) =>
      exclusively(crossing.trigger.id, () => fire(crossing)),
    /** Resumes a claimed firing (lease taken over) with its own number and body. */
    resume: (triggerId: string, firingNumber: number, solUsd: number | null) =>
      exclusively(triggerId, async () => {
        const trigger = await store.triggers.findById(triggerId);
        const firing = await store.triggerFirings.find(triggerId, firingNumber);
        if (trigger?.status !== "FIRING" || firing?.status !== "CLAIMED") return;
        await place(trigger, firing, solUsd);
      }),
    /** An order changed (trading's hook): time its first send, settle its trigger when final. */
    async onOrderChange(order: { id: string; status: string; triggerId: string | null }) {
      if (order.triggerId === null) return;
      const crossed = crossedAt.get(order.triggerId);
      if (order.status === "SIGNED" && crossed !== undefined)
        options.metrics.crossingToSend((clock.now() - crossed) / 1000);
      if (isTerminalOrderStatus(order.status as OrderStatus)) await outcomes.finish(order.id);
    },
    finish: (orderId: string) => outcomes.finish(orderId),
    /** Waits (at most `ms`) for firings in flight; one cut short resumes from its claim later. */
    async drain(ms: number): Promise<void> {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, ms);
      });
      await Promise.race([Promise.allSettled([...inflight]), timeout]);
      clearTimeout(timer);
    },
  };
}

// The grant row went away (never in practice: grants end, they are not deleted).
const grantGone = () => new OspreyError("GRANT_NOT_FOUND");

export type TriggerFirer = ReturnType<typeof createTriggerFirer>;
