import type { Clock } from "../../core/clock.js";
import { createIntervalLoop } from "../../core/interval-loop.js";
import type { Store } from "../../store/store.js";
import type { GrantService } from "../grants/grant-service.js";
import type { TriggerRecord } from "../triggers/trigger-types.js";
import type { TriggerFirer } from "./trigger-firer.js";

export interface TriggerSweeperOptions {
  readonly store: Store;
  readonly firer: TriggerFirer;
  readonly grants: Pick<GrantService, "expireDue">;
  readonly clock: Clock;
  readonly instanceId: string;
  readonly leaseMs: number;
  readonly intervalMs: number;
  /** SOL's USD price from the watcher's last fresh tick, for a resumed firing's guard. */
  readonly solUsd: () => number | null;
  readonly onTriggerChange: (trigger: TriggerRecord) => Promise<void>;
  readonly onError: (error: unknown) => void;
}

const BATCH = 100;

/**
 * What no price tick does: resume firings whose lease ran out (a crash, a dead instance, a
 * passing failure), settle triggers whose orders ended while nobody listened (a restart,
 * another instance), expire triggers and grants.
 */
export function createTriggerSweeper(options: TriggerSweeperOptions) {
  const { store, firer, clock } = options;

  async function sweep(): Promise<void> {
    const now = clock.now();
    const taken = await store.triggerFirings.takeExpiredLeases(
      options.instanceId,
      now,
      options.leaseMs,
      BATCH,
    );
    await Promise.all(
      taken.map((t) => firer.resume(t.triggerId, t.firingNumber, options.solUsd())),
    );
    for (const firing of await store.triggerFirings.listPlacedFiring(BATCH)) {
      if (firing.orderId !== null) await firer.finish(firing.orderId);
    }
    for (const trigger of await store.triggers.expireDue(now)) {
      await options.onTriggerChange(trigger);
    }
    // Ending a grant pauses its wallet's triggers (the grant service's onGrantEnded hook).
    await options.grants.expireDue(now);
  }

  const loop = createIntervalLoop(sweep, options.intervalMs, options.onError);
  return {
    sweep,
    start: loop.start,
    stop: loop.stop,
  };
}
