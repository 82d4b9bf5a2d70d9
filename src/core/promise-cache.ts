import type { Clock } from "./clock.js";

interface Entry<T> {
  readonly loadedAt: number;
  readonly value: Promise<T>;
  refreshing: boolean;
}

export interface CacheGetOptions {
  /** Skip a cached value and load anew (the new value is cached). */
  readonly fresh?: boolean;
  /**
   * Once a cached value is this old, it is still returned but a new one is loaded in the
   * background and replaces it when ready, so steady callers never wait for a reload.
   */
  readonly refreshAfterMs?: number;
  /**
   * An expired value at most this much past its TTL is still returned while a new one loads in
   * the background (once, as for `refreshAfterMs`); older ones are loaded anew and awaited.
   */
  readonly staleForMs?: number;
}

/**
 * A short-lived cache of promises: concurrent callers share one load in flight, failures are
 * never cached, and the oldest entry goes first when full.
 */
export function createPromiseCache<T>(clock: Clock, ttlMs: number, maxEntries: number) {
  const entries = new Map<string, Entry<T>>();

  function store(key: string, value: Promise<T>, loadedAt: number): void {
    entries.delete(key);
    if (ttlMs <= 0) return;
    entries.set(key, { loadedAt, value, refreshing: false });
    while (entries.size > maxEntries) {
      const oldest = entries.keys().next();
      if (oldest.done) break;
      entries.delete(oldest.value);
    }
    value.catch(() => {
      if (entries.get(key)?.value === value) entries.delete(key);
    });
  }

  function refresh(key: string, hit: Entry<T>, load: () => Promise<T>): void {
    hit.refreshing = true;
    const startedAt = clock.now();
    const value = load();
    value.then(
      () => {
        if (entries.get(key) === hit) store(key, value, startedAt);
      },
      () => {
        hit.refreshing = false; // the old value stays until it expires; a later call retries
      },
    );
  }

  return {
    get(key: string, load: () => Promise<T>, options: CacheGetOptions = {}): Promise<T> {
      const now = clock.now();
      const hit = entries.get(key);
      if (!options.fresh && hit && hit.loadedAt + ttlMs + (options.staleForMs ?? 0) > now) {
        const refreshAfterMs = Math.min(options.refreshAfterMs ?? ttlMs, ttlMs);
        if (!hit.refreshing && now - hit.loadedAt >= refreshAfterMs) refresh(key, hit, load);
        return hit.value;
      }
      const value = load();
      store(key, value, now);
      return value;
    },
    clear: () => entries.clear(),
  };
}
