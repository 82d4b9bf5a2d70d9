import type { Clock } from "../../core/clock.js";
import { createIntervalLoop } from "../../core/interval-loop.js";
import type { FetchUsdPriceQuotes } from "../../swap/price-batch.js";
import type { TriggerRecord } from "../triggers/trigger-types.js";
import { createPriceFeedState } from "./price-feed-state.js";
import {
  type Crossing,
  createTriggerEvaluator,
  type HighWaterUpdate,
} from "./trigger-evaluator.js";

export interface PriceWatcherOptions {
  readonly clock: Clock;
  readonly fetchQuotes: FetchUsdPriceQuotes;
  readonly solMint: string;
  readonly intervalMs: number;
  readonly maxAgeMs: number;
  /** The ARMED triggers (all instances share them through the database). */
  readonly listArmed: () => Promise<TriggerRecord[]>;
  /** Triggers written at or after `since`, of any status: the index follows them between full reads. */
  readonly listChangedSince: (since: number) => Promise<TriggerRecord[]>;
  /** One trigger as it is now: a crossing that did not fire (e.g. its linked one was firing). */
  readonly readTrigger: (id: string) => Promise<TriggerRecord | undefined>;
  /** Triggers this instance is firing right now: left out of the index until they settle. */
  readonly isBusy: (triggerId: string) => boolean;
  readonly onCrossings: (crossings: Crossing<TriggerRecord>[]) => void;
  readonly onHighWaters: (updates: HighWaterUpdate[]) => Promise<void>;
  /** Keeps the safety analysis of mints with buy triggers warm, so a firing does not wait. */
  readonly warmAnalysis?: (mint: string) => void;
  readonly onError: (error: unknown) => void;
}

const WARM_EVERY_MS = 5_000;
/**
 * Every armed trigger is read again this often; between, only the rows written since the last
 * read and the triggers that crossed (reading 10,000 rows costs ~200 ms of CPU, a thousand times
 * more than evaluating them). The full read only catches rows written by a clock far behind.
 */
const FULL_SYNC_MS = 300_000;
/** Re-read rows this far back: commits still in flight at the last read, clocks of other instances. */
const SYNC_OVERLAP_MS = 5_000;
const BUY_TYPES = new Set(["limit_buy", "dca"]);

/** Every interval: reload the armed triggers, fetch their mints' prices (and SOL's), evaluate. */
export function createPriceWatcher(options: PriceWatcherOptions) {
  const { clock } = options;
  const evaluator = createTriggerEvaluator<TriggerRecord>();
  const feed = createPriceFeedState(options.maxAgeMs, options.solMint);
  const warmedAt = new Map<string, number>();
  let fullSyncAt = Number.NEGATIVE_INFINITY;
  let syncedAt = 0;
  /** Crossed triggers (they left the index) to look at again once their firing is over. */
  const crossed = new Set<string>();

  /** Brings the index up to the database: a full read now and then, the changed rows between. */
  async function sync(): Promise<void> {
    const started = clock.now();
    if (started - fullSyncAt >= FULL_SYNC_MS) {
      evaluator.replace((await options.listArmed()).filter((t) => !options.isBusy(t.id)));
      fullSyncAt = started;
    } else {
      const changed = await options.listChangedSince(syncedAt - SYNC_OVERLAP_MS);
      // A crossing that fired nothing and wrote nothing (its row unchanged) comes back here.
      const settled = [...crossed].filter((id) => !options.isBusy(id));
      for (const id of settled) crossed.delete(id);
      const again = await Promise.all(settled.map((id) => options.readTrigger(id)));
      for (const trigger of [...changed, ...again]) {
        if (!trigger) continue;
        if (trigger.status === "ARMED" && !options.isBusy(trigger.id)) evaluator.add(trigger);
        else evaluator.remove(trigger.id);
      }
    }
    syncedAt = started;
  }

  function warm(armed: Iterable<TriggerRecord>, now: number): void {
    if (!options.warmAnalysis) return;
    for (const trigger of armed) {
      if (!BUY_TYPES.has(trigger.type) || now - (warmedAt.get(trigger.mint) ?? 0) < WARM_EVERY_MS)
        continue;
      warmedAt.set(trigger.mint, now);
      options.warmAnalysis(trigger.mint);
    }
  }

  async function tick(): Promise<void> {
    await sync();
    if (evaluator.size === 0) return;
    warm(evaluator.triggers(), clock.now());
    const mints = evaluator.mints();
    // A failed fetch fires nothing: the next tick tries again.
    const quotes = await options.fetchQuotes([options.solMint, ...mints]);
    feed.record(quotes, clock.now());
    const now = clock.now();
    const fresh = feed.fresh(mints, now);
    if (!fresh) return;
    const { crossings, highWaters } = evaluator.evaluate(fresh.prices, fresh.solUsd, now);
    for (const crossing of crossings) crossed.add(crossing.trigger.id);
    if (crossings.length > 0) options.onCrossings(crossings);
    if (highWaters.length > 0) await options.onHighWaters(highWaters);
  }

  const loop = createIntervalLoop(tick, options.intervalMs, options.onError);
  return {
    evaluator,
    /** Runs one tick now (tests and the bench drive it by hand). */
    tick,
    start: loop.start,
    stop: loop.stop,
    /** SOL's USD price if the feed is fresh now, else null. */
    solUsd: (): number | null => feed.fresh([], clock.now())?.solUsd ?? null,
    /** Seconds since the feed last advanced: the price-feed lag gauge. */
    lagSeconds: () => feed.lagSeconds(clock.now()),
  };
}

export type PriceWatcher = ReturnType<typeof createPriceWatcher>;
