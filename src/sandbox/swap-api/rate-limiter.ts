/** A token bucket per client key; `now` is a parameter so tests need no sleeps. */
export interface RateLimiter {
  /** 0 when allowed, else seconds until a request would be. */
  take(key: string): number;
}

export interface RateLimitOptions {
  requestsPerSecond: number;
  burst?: number;
  now?: () => number;
}

export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  const now = options.now ?? Date.now;
  const burst = options.burst ?? options.requestsPerSecond;
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key) {
      const t = now();
      const bucket = buckets.get(key) ?? { tokens: burst, at: t };
      bucket.tokens = Math.min(
        burst,
        bucket.tokens + ((t - bucket.at) / 1000) * options.requestsPerSecond,
      );
      bucket.at = t;
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.ceil((1 - bucket.tokens) / options.requestsPerSecond);
    },
  };
}
