import type { Clock } from "../core/clock.js";

interface Entry<T> {
  readonly expiresAt: number;
  readonly value: Promise<T>;
}

/**
 * A short-lived cache of promises: concurrent callers share one analysis in flight, failures
 * are never cached, and the oldest entry goes first when full.
 */
export function createReportCache<T>(clock: Clock, ttlMs: number, maxEntries: number) {
  const entries = new Map<string, Entry<T>>();
  return {
    get(key: string, load: () => Promise<T>, fresh: boolean): Promise<T> {
      const now = clock.now();
      const hit = entries.get(key);
      if (!fresh && hit && hit.expiresAt > now) return hit.value;
      const value = load();
      entries.delete(key);
      if (ttlMs > 0) {
        entries.set(key, { expiresAt: now + ttlMs, value });
        while (entries.size > maxEntries) {
          const oldest = entries.keys().next();
          if (oldest.done) break;
          entries.delete(oldest.value);
        }
        value.catch(() => {
          if (entries.get(key)?.value === value) entries.delete(key);
        });
      }
      return value;
    },
    clear: () => entries.clear(),
  };
}
