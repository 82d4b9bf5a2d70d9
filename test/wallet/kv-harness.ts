import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import type { Clock } from "../../src/core/clock.js";
import { createMemoryKvStore, createRedisKvStore, type KvStore } from "../../src/kv/index.js";
import { REDIS_SKIP_REASON } from "../support/kv-stores.js";

/** A kv store for a test, with the means to move time and to dump every value it holds. */
export interface KvHarness {
  readonly name: "memory" | "redis";
  readonly kv: KvStore;
  readonly clock: Clock;
  readonly idleMs: number;
  readonly absoluteMs: number;
  /** Fake clock on memory; a real sleep on Redis, whose TTLs run on its own clock. */
  advance(ms: number): Promise<void>;
  /** Every key and value the store holds (sets as their members). */
  dump(): Promise<string[]>;
  close(): Promise<void>;
}

export const redisUrl = process.env.TEST_REDIS_URL;

export function createFakeClock(start = Date.UTC(2025, 0, 1)) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

/** Memory store with a fake clock; records every key written so the test can dump them. */
export function createMemoryHarness(): KvHarness {
  const clock = createFakeClock();
  const inner = createMemoryKvStore(clock);
  const keys = new Map<string, "string" | "set">();
  const noting =
    <A extends unknown[], R>(kind: "string" | "set", write: (key: string, ...rest: A) => R) =>
    (key: string, ...rest: A): R => {
      keys.set(key, kind);
      return write(key, ...rest);
    };
  const kv: KvStore = {
    ...inner,
    set: noting("string", inner.set),
    increment: noting("string", inner.increment),
    compareAndSet: noting("string", inner.compareAndSet),
    setAdd: noting("set", inner.setAdd),
  };
  return {
    name: "memory",
    kv,
    clock,
    idleMs: 15 * 60_000,
    absoluteMs: 8 * 60 * 60_000,
    advance: async (ms) => clock.advance(ms),
    async dump() {
      const out: string[] = [];
      for (const [key, kind] of keys) {
        const value =
          kind === "set" ? (await inner.setMembers(key)).join(",") : await inner.get(key);
        if (value !== null) out.push(`${key}=${value}`);
      }
      return out;
    },
    close: () => inner.close(),
  };
}

/** Redis under a unique prefix with short real TTLs; dumps by SCAN, in the test only. */
export function createRedisHarness(url: string): KvHarness {
  const prefix = `osprey-test:${randomBytes(6).toString("hex")}:`;
  const kv = createRedisKvStore({ url, prefix });
  const inspector = new Redis(url);
  return {
    name: "redis",
    kv,
    clock: { now: () => Date.now() },
    // Long enough that event-loop lag on a loaded machine does not pass for an idle timeout.
    idleMs: 1_000,
    absoluteMs: 2_000,
    advance: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    async dump() {
      const out: string[] = [];
      let cursor = "0";
      do {
        const [next, keys] = await inspector.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
        cursor = next;
        for (const key of keys) {
          const type = await inspector.type(key);
          const value =
            type === "set" ? (await inspector.smembers(key)).join(",") : await inspector.get(key);
          out.push(`${key}=${value}`);
        }
      } while (cursor !== "0");
      return out;
    },
    async close() {
      let cursor = "0";
      do {
        const [next, keys] = await inspector.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
        cursor = next;
        if (keys.length > 0) await inspector.del(...keys);
      } while (cursor !== "0");
      await inspector.quit();
      await kv.close();
    },
  };
}

/** Memory always; Redis when TEST_REDIS_URL is set, else its suites are skipped with the reason. */
export const harnesses: {
  name: string;
  skip: boolean;
  skipReason: string | null;
  create: () => KvHarness;
}[] = [
  { name: "memory", skip: false, skipReason: null, create: createMemoryHarness },
  {
    name: "redis",
    skip: REDIS_SKIP_REASON !== null,
    skipReason: REDIS_SKIP_REASON,
    create: () => createRedisHarness(redisUrl ?? ""),
  },
];
