import type { Clock } from "../../core/clock.js";
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
  /** Triggers this instance is firing right now: left out of the index until they settle. */
  readonly isBusy: (triggerId: string) => boolean;
  readonly onCrossings: (crossings: Crossing<TriggerRecord>[]) => void;
  readonly onHighWaters: (updates: HighWaterUpdate[]) => Promise<void>;
  /** Keeps the safety analysis of mints with buy triggers warm, so a firing does not wait. */
  readonly warmAnalysis?: (mint: string) => void;
  readonly onError: (error: unknown) => void;
}

const WARM_EVERY_MS = 5_000;
const BUY_TYPES = new Set(["limit_buy", "dca"]);

/** Every interval: reload the armed triggers, fetch their mints' prices (and SOL's), evaluate. */
export function createPriceWatcher(options: PriceWatcherOptions) {
  const { clock } = options;
  const evaluator = createTriggerEvaluator<TriggerRecord>();
  const feed = createPriceFeedState(options.maxAgeMs, options.solMint);
  const warmedAt = new Map<string, number>();
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;

  function warm(armed: readonly TriggerRecord[], now: number): void {
    if (!options.warmAnalysis) return;
    for (const trigger of armed) {
      if (!BUY_TYPES.has(trigger.type) || now - (warmedAt.get(trigger.mint) ?? 0) < WARM_EVERY_MS)
        continue;
      warmedAt.set(trigger.mint, now);
      options.warmAnalysis(trigger.mint);
    }
  }

  async function tick(): Promise<void> {
    const armed = (await options.listArmed()).filter((t) => !options.isBusy(t.id));
    evaluator.replace(armed);
    if (evaluator.size === 0) return;
    warm(armed, clock.now());
    const mints = evaluator.mints();
    // A failed fetch fires nothing: the next tick tries again.
    const quotes = await options.fetchQuotes([options.solMint, ...mints]);
    feed.record(quotes, clock.now());
    const now = clock.now();
    const fresh = feed.fresh(mints, now);
    if (!fresh) return;
    const { crossings, highWaters } = evaluator.evaluate(fresh.prices, fresh.solUsd, now);
    if (crossings.length > 0) options.onCrossings(crossings);
    if (highWaters.length > 0) await options.onHighWaters(highWaters);
  }

  function schedule(): void {
    timer = setTimeout(() => {
      running = tick()
        .catch(options.onError)
        .finally(() => {
          running = null;
          if (timer) schedule();
        });
    }, options.intervalMs);
    timer.unref?.();
  }

  return {
    evaluator,
    /** Runs one tick now (tests and the bench drive it by hand). */
    tick,
    start(): void {
      if (!timer) schedule();
    },
    async stop(): Promise<void> {
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
    /** Seconds since the feed last advanced: the price-feed lag gauge. */
    lagSeconds: () => feed.lagSeconds(clock.now()),
  };
}

export type PriceWatcher = ReturnType<typeof createPriceWatcher>;
