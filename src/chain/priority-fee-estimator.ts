import type { Address, GetRecentPrioritizationFeesApi, Rpc } from "@solana/kit";
import { type Clock, systemClock } from "../core/clock.js";
import { createPromiseCache } from "../core/promise-cache.js";

export interface PriorityFeeOptions {
  readonly rpc: Rpc<GetRecentPrioritizationFeesApi>;
  /** Percentile (0–100) of recent fees paid on the accounts; default 75. */
  readonly percentile?: number;
  /** Micro-lamports per compute unit. */
  readonly minMicroLamports?: bigint;
  readonly maxMicroLamports?: bigint;
  /**
   * How long an estimate for the same accounts is reused (default 10 s), reloaded in the
   * background after `refreshAfterMs` (default 2 s). The RPC answers over the last 150 slots
   * (about a minute), so a two-second-old estimate is as good as a new one, and an order on a
   * busy pool does not wait a round trip for it. 0 turns the cache off.
   */
  readonly cacheMs?: number;
  readonly refreshAfterMs?: number;
  readonly clock?: Clock;
}

export interface PriorityFeeEstimator {
  /**
   * Compute-unit price in micro-lamports for a transaction writing these accounts: the
   * configured percentile of the recent fees paid on them, or `percentile` when given (one
   * cached read of the fees serves every percentile).
   */
  estimate(
    writableAccounts: readonly Address[],
    options?: { readonly percentile?: number },
  ): Promise<bigint>;
}

/** An order's priority level and the percentile of recent fees it pays. */
export type PriorityLevel = "none" | "low" | "medium" | "high" | "veryHigh";

export const PRIORITY_LEVEL_PERCENTILES: Readonly<Record<PriorityLevel, number>> = {
  none: 0,
  low: 25,
  medium: 50,
  high: 75,
  veryHigh: 95,
};

const DEFAULT_MAX_MICRO_LAMPORTS = 1_000_000n;

export function createPriorityFeeEstimator(options: PriorityFeeOptions): PriorityFeeEstimator {
  const percentile = options.percentile ?? 75;
  if (!(percentile >= 0 && percentile <= 100)) throw new RangeError("percentile must be 0–100");
  const min = options.minMicroLamports ?? 0n;
  const max = options.maxMicroLamports ?? DEFAULT_MAX_MICRO_LAMPORTS;
  if (min > max) throw new RangeError("minMicroLamports exceeds maxMicroLamports");
  const cache = createPromiseCache<readonly bigint[]>(
    options.clock ?? systemClock,
    options.cacheMs ?? 10_000,
    1_000,
  );
  const refreshAfterMs = options.refreshAfterMs ?? 2_000;

  /** The recent fees, sorted once so that each percentile is a lookup. */
  async function load(accounts: readonly Address[]): Promise<readonly bigint[]> {
    const fees = await options.rpc.getRecentPrioritizationFees(accounts).send();
    return fees
      .map((fee) => BigInt(fee.prioritizationFee))
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  return {
    async estimate(writableAccounts, estimateOptions) {
      const wanted = estimateOptions?.percentile ?? percentile;
      if (!(wanted >= 0 && wanted <= 100)) throw new RangeError("percentile must be 0–100");
      // The RPC accepts at most 128 accounts; fees are per-account locks, so the first suffice.
      const accounts = writableAccounts.slice(0, 128);
      const sorted = await cache.get(accounts.join(","), () => load(accounts), { refreshAfterMs });
      const value = getSortedPercentile(sorted, wanted);
      return value < min ? min : value > max ? max : value;
    },
  };
}

/** Nearest-rank percentile of bigints; 0 for none. */
export function getPercentile(values: readonly bigint[], percentile: number): bigint {
  return getSortedPercentile(
    [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    percentile,
  );
}

function getSortedPercentile(sorted: readonly bigint[], percentile: number): bigint {
  if (sorted.length === 0) return 0n;
  const rank = Math.max(1, Math.ceil((percentile / 100) * sorted.length));
  return sorted[rank - 1] ?? 0n;
}
