import { OspreyError } from "../core/osprey-error.js";
import type { KvStore } from "./kv-store.js";

export interface RateLimit {
  /** Requests allowed per window. */
  readonly limit: number;
  readonly windowMs: number;
}

export interface RateLimiter {
  /** Counts a hit on `key`; throws RATE_LIMITED (with retryAfterMs) once the window is full. */
  hit(key: string, limit: RateLimit): Promise<void>;
}

/** Fixed-window request counters in the kv store, so every instance shares one budget. */
export function createRateLimiter(kv: KvStore, prefix = "rate:"): RateLimiter {
  return {
    async hit(key, { limit, windowMs }) {
      const count = await kv.increment(prefix + key, { ttlMs: windowMs });
      if (count <= limit) return;
      const retryAfterMs = (await kv.ttl(prefix + key)) ?? windowMs;
      throw new OspreyError("RATE_LIMITED", "Too many requests; retry later.", {
        retryAfterMs,
        limit,
        windowMs,
      });
    },
  };
}
