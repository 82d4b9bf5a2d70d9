import type { Clock } from "../core/clock.js";
import { NATIVE_MINT as SOL_MINT } from "../safety/read-market-facts.js";
import type {
  Candle,
  PriceCandlesRepository,
  PriceSample,
} from "../store/repositories/price-candles-repository.js";
import type { FetchUsdPrices } from "../swap/price-batch.js";

/** A price read by the sampler, for the event stream (`price` events). */
export interface PriceTick {
  readonly mint: string;
  readonly priceUsd: number;
  readonly priceSol: number | null;
  /** ISO time of the sample. */
  readonly time: string;
}

export interface PriceSampler {
  /** The mint is being viewed: sample it for the next `viewTtlMs` (10 minutes). */
  watch(mint: string): void;
  /**
   * A long view (an open event stream watching the mint): sampled until the returned release
   * is called, then for `viewTtlMs` more. Releasing twice does nothing more.
   */
  hold(mint: string): () => void;
  /** Every price read; returns the unsubscribe. */
  onTick(listener: (tick: PriceTick) => void): () => void;
  /** The mint's candles of the last `minutes` minutes, oldest first (the current one included). */
  getCandles(mint: string, minutes: number): Promise<Candle[]>;
  /** One round now: read the prices of the viewed and held mints, fold them, prune if due. */
  sampleNow(): Promise<void>;
  /** The mints the next round would sample. */
  getSampledMints(): Promise<string[]>;
  start(): void;
  stop(): Promise<void>;
}

export interface PriceSamplerOptions {
  readonly prices: FetchUsdPrices;
  readonly candles: Pick<PriceCandlesRepository, "addSamples" | "list" | "prune">;
  /** The mints some wallet holds (positions with amount > 0). */
  readonly heldMints: () => Promise<readonly string[]>;
  readonly clock: Clock;
  /** PRICE_SAMPLE_MS (default 15 s). */
  readonly intervalMs?: number;
  /** How long a view keeps a mint sampled (default 10 minutes). */
  readonly viewTtlMs?: number;
  /** CANDLE_RETENTION_HOURS in ms (default 48 h). */
  readonly retentionMs?: number;
  /** How often old candles are pruned (default hourly, and at the first round). */
  readonly pruneEveryMs?: number;
  /** At most this many viewed mints are kept; the least recently viewed go first. */
  readonly maxViewed?: number;
  readonly onError?: (error: unknown) => void;
}

const MINUTE_MS = 60_000;

export function createPriceSampler(options: PriceSamplerOptions): PriceSampler {
  const { clock, prices, candles } = options;
  const intervalMs = options.intervalMs ?? 15_000;
  const viewTtlMs = options.viewTtlMs ?? 10 * MINUTE_MS;
  const retentionMs = options.retentionMs ?? 48 * 60 * MINUTE_MS;
  const pruneEveryMs = options.pruneEveryMs ?? 60 * MINUTE_MS;
  const maxViewed = options.maxViewed ?? 500;
  const onError = options.onError ?? (() => {});
  /** Mint → when its last view ends (Infinity while a long view holds it), in view order. */
  const viewedUntil = new Map<string, number>();
  const holds = new Map<string, number>();
  const listeners = new Set<(tick: PriceTick) => void>();
  let lastPruneAt = Number.NEGATIVE_INFINITY;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let round: Promise<void> | null = null;
  let stopped = true;

  function view(mint: string): void {
    viewedUntil.delete(mint);
    viewedUntil.set(mint, clock.now() + viewTtlMs);
    while (viewedUntil.size > maxViewed) {
      const oldest = [...viewedUntil.keys()].find((key) => !holds.has(key));
      if (oldest === undefined) break;
      viewedUntil.delete(oldest);
    }
  }

  function viewedMints(): string[] {
    const now = clock.now();
    for (const [mint, until] of viewedUntil)
      if (until <= now && !holds.has(mint)) viewedUntil.delete(mint);
    return [...viewedUntil.keys(), ...holds.keys()];
  }

  async function getSampledMints(): Promise<string[]> {
    const held = await options.heldMints();
    return [...new Set([...viewedMints(), ...held])];
  }

  async function sample(): Promise<void> {
    const now = clock.now();
    if (now - lastPruneAt >= pruneEveryMs) {
      lastPruneAt = now;
      await candles.prune(now - retentionMs);
    }
    const mints = await getSampledMints();
    if (mints.length === 0) return;
    // SOL rides along in the same request: every tick carries the price in SOL too.
    const usd = await prices([...mints, SOL_MINT]);
    const at = clock.now();
    const solUsd = usd.get(SOL_MINT) ?? null;
    const samples: PriceSample[] = mints.flatMap((mint) => {
      const priceUsd = usd.get(mint);
      return priceUsd === undefined ? [] : [{ mint, at, priceUsd }];
    });
    await candles.addSamples(samples);
    const time = new Date(at).toISOString();
    for (const { mint, priceUsd } of samples) {
      const tick = { mint, priceUsd, priceSol: solUsd ? priceUsd / solUsd : null, time };
      for (const listener of listeners) {
        try {
          listener(tick);
        } catch (error) {
          onError(error);
        }
      }
    }
  }

  /** One round at a time: a slow price API delays the next round rather than piling them up. */
  function sampleNow(): Promise<void> {
    round ??= sample().finally(() => {
      round = null;
    });
    return round;
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      sampleNow().catch(onError).finally(schedule);
    }, intervalMs);
    timer.unref?.();
  }

  return {
    watch(mint) {
      view(mint);
    },
    hold(mint) {
      view(mint);
      holds.set(mint, (holds.get(mint) ?? 0) + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (holds.get(mint) ?? 1) - 1;
        if (left > 0) holds.set(mint, left);
        else holds.delete(mint);
        view(mint);
      };
    },
    onTick(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    async getCandles(mint, minutes) {
      view(mint);
      const currentMinute = Math.floor(clock.now() / MINUTE_MS) * MINUTE_MS;
      return candles.list(mint, currentMinute - (minutes - 1) * MINUTE_MS);
    },
    sampleNow,
    getSampledMints,
    start() {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await round?.catch(() => undefined);
    },
  };
}
