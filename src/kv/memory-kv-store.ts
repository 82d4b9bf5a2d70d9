import { type Clock, systemClock } from "../core/clock.js";
import type { KvSetOptions, KvStore } from "./kv-store.js";

type Entry = { value: string | Set<string>; expiresAt: number | null };

const SWEEP_EVERY_WRITES = 1024;

/** An in-process KvStore for the embedded mode; expiry follows the injected clock. */
export function createMemoryKvStore(clock: Clock = systemClock): KvStore {
  const entries = new Map<string, Entry>();
  let writes = 0;

  const expiresAt = (options?: KvSetOptions) =>
    options?.ttlMs === undefined ? null : clock.now() + options.ttlMs;

  function live(key: string): Entry | undefined {
    const entry = entries.get(key);
    if (entry?.expiresAt != null && entry.expiresAt <= clock.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  }

  // Lazy expiry alone would keep never-read keys forever; sweep now and then on writes.
  function wrote() {
    writes += 1;
    if (writes % SWEEP_EVERY_WRITES !== 0) return;
    for (const key of entries.keys()) live(key);
  }

  function stringOf(key: string): string | null {
    const value = live(key)?.value;
    if (value === undefined) return null;
    if (typeof value !== "string") throw new TypeError(`kv key ${key} holds a set, not a string`);
    return value;
  }

  function setOf(key: string): Set<string> | undefined {
    const value = live(key)?.value;
    if (value === undefined || value instanceof Set) return value;
    throw new TypeError(`kv key ${key} holds a string, not a set`);
  }

  return {
    kind: "memory",
    async get(key) {
      return stringOf(key);
    },
    async set(key, value, options) {
      entries.set(key, { value, expiresAt: expiresAt(options) });
      wrote();
    },
    async delete(key) {
      const existed = live(key) !== undefined;
      entries.delete(key);
      return existed;
    },
    async expire(key, ttlMs) {
      const entry = live(key);
      if (!entry) return false;
      entry.expiresAt = clock.now() + ttlMs;
      return true;
    },
    async ttl(key) {
      const entry = live(key);
      return entry?.expiresAt == null ? null : entry.expiresAt - clock.now();
    },
    async increment(key, options) {
      const current = stringOf(key);
      const next = (current === null ? 0 : Number(current)) + (options?.by ?? 1);
      const entry = live(key);
      entries.set(key, {
        value: String(next),
        expiresAt: entry ? entry.expiresAt : expiresAt(options),
      });
      wrote();
      return next;
    },
    async setAdd(key, members, options) {
      const set = setOf(key) ?? new Set<string>();
      for (const member of members) set.add(member);
      const previous = live(key);
      entries.set(key, {
        value: set,
        expiresAt:
          options?.ttlMs === undefined ? (previous?.expiresAt ?? null) : expiresAt(options),
      });
      wrote();
    },
    async setRemove(key, members) {
      const set = setOf(key);
      if (!set) return;
      for (const member of members) set.delete(member);
      if (set.size === 0) entries.delete(key);
    },
    async setMembers(key) {
      return [...(setOf(key) ?? [])];
    },
    async compareAndSet(key, expected, next, options) {
      if (stringOf(key) !== expected) return false;
      if (next === null) entries.delete(key);
      else entries.set(key, { value: next, expiresAt: expiresAt(options) });
      wrote();
      return true;
    },
    async ping() {},
    async close() {
      entries.clear();
    },
  };
}
