import type { BreakerStrategy } from "./breaker-strategy.js";

export interface SamplingBreakerOptions {
  /** Failure share (0–1] over the window at which the circuit opens. */
  readonly threshold: number;
  /** Sliding window length, ms. */
  readonly windowMs: number;
  /** Below this many calls in the window the rate is not trusted. */
  readonly minimumCalls: number;
  /** Window resolution: the window is kept as this many buckets so old calls decay. */
  readonly buckets?: number;
}

interface Bucket {
  start: number;
  successes: number;
  failures: number;
}

/** Opens when the failure rate over a sliding window passes a threshold, as cockatiel's sampling breaker. */
export function createSamplingBreakerStrategy(options: SamplingBreakerOptions): BreakerStrategy {
  const { threshold, windowMs, minimumCalls } = options;
  if (!(threshold > 0 && threshold <= 1)) throw new RangeError("threshold must be in (0, 1]");
  const bucketMs = windowMs / Math.max(1, options.buckets ?? 10);
  let buckets: Bucket[] = [];

  function current(now: number): Bucket {
    buckets = buckets.filter((bucket) => bucket.start > now - windowMs);
    const start = now - (now % bucketMs);
    const last = buckets.at(-1);
    if (last !== undefined && last.start === start) return last;
    const bucket = { start, successes: 0, failures: 0 };
    buckets.push(bucket);
    return bucket;
  }

  return {
    success(now) {
      current(now).successes += 1;
    },
    failure(now) {
      current(now).failures += 1;
      let failures = 0;
      let total = 0;
      for (const bucket of buckets) {
        failures += bucket.failures;
        total += bucket.failures + bucket.successes;
      }
      return total >= minimumCalls && failures / total >= threshold;
    },
    reset() {
      buckets = [];
    },
  };
}
