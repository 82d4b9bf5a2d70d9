/** One `getRecentPerformanceSamples` entry. */
export interface PerformanceSample {
  slot: bigint;
  numTransactions: bigint;
  /** The sandbox has no vote transactions, so every transaction is a non-vote one. */
  numNonVoteTransactions: bigint;
  numSlots: bigint;
  samplePeriodSecs: number;
}

/** A validator samples every 60 s and keeps the latest 720 (agave's PERFORMANCE_SAMPLES_LIMIT). */
export const SAMPLE_PERIOD_MS = 60_000;
export const MAX_PERFORMANCE_SAMPLES = 720;

export interface PerformanceSampler {
  /** Called every slot: O(1), a sample is taken when a period has passed. */
  record(slot: bigint): void;
  samples(): readonly PerformanceSample[];
}

export function createPerformanceSampler(options: {
  now: () => number;
  transactionCount: () => bigint;
  startSlot: bigint;
}): PerformanceSampler {
  const kept: PerformanceSample[] = [];
  let lastAt = options.now();
  let lastSlot = options.startSlot;
  let lastCount = options.transactionCount();
  return {
    record(slot) {
      const at = options.now();
      if (at - lastAt < SAMPLE_PERIOD_MS) return;
      const count = options.transactionCount();
      kept.unshift({
        slot,
        numTransactions: count - lastCount,
        numNonVoteTransactions: count - lastCount,
        numSlots: slot - lastSlot,
        samplePeriodSecs: Math.round((at - lastAt) / 1000),
      });
      if (kept.length > MAX_PERFORMANCE_SAMPLES) kept.pop();
      lastAt = at;
      lastSlot = slot;
      lastCount = count;
    },
    samples: () => kept,
  };
}
