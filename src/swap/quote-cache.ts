import type { Clock } from "../core/clock.js";

/**
 * A short-lived cache of quotes keyed by every request parameter, which also joins concurrent
 * identical requests onto one in-flight call. Failures are not cached.
 */
export function createQuoteCache<T>(clock: Clock, ttlMs: number, maxEntries = 1_000) {
  const entries = new Map<string, { value: Promise<T>; expiresAt: number }>();

  function prune(now: number) {
    for (const [key, entry] of entries) if (entry.expiresAt <= now) entries.delete(key);
    // Still too big: drop the oldest (Map keeps insertion order).
    while (entries.size >= maxEntries) {
      const oldest = entries.keys().next().value;
      if (oldest === undefined) break;
      entries.delete(oldest);
    }
  }

  return {
    get(key: string, load: () => Promise<T>): Promise<T> {
      const now = clock.now();
      const hit = entries.get(key);
      if (hit && hit.expiresAt > now) return hit.value;
      if (entries.size >= maxEntries) prune(now);
      const value = load();
      entries.set(key, { value, expiresAt: now + ttlMs });
      value.catch(() => {
        if (entries.get(key)?.value === value) entries.delete(key);
      });
      return value;
    },
    clear() {
      entries.clear();
    },
    get size() {
      return entries.size;
    },
  };
}
