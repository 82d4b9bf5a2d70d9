/** Fixed one-second windows: simple, deterministic under a fake clock, and what providers mostly do. */
export interface RateLimiter {
  /** Null when allowed; otherwise the seconds to put in Retry-After. */
  take(limitPerSecond: number | null): number | null;
}

export function createRateLimiter(now: () => number): RateLimiter {
  let windowStart = 0;
  let used = 0;
  return {
    take(limit) {
      if (limit === null) return null;
      const t = now();
      if (t - windowStart >= 1000) {
        windowStart = t;
        used = 0;
      }
      used += 1;
      if (used <= limit) return null;
      return Math.max(1, Math.ceil((windowStart + 1000 - t) / 1000));
    },
  };
}
