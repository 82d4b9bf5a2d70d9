import { randomUUID } from "node:crypto";
import { describe } from "vitest";
import type { KvStore } from "../../src/kv/kv-store.js";
import { createMemoryKvStore } from "../../src/kv/memory-kv-store.js";
import { createRedisKvStore } from "../../src/kv/redis-kv-store.js";
import { describeUnless } from "./describe-unless.js";
import { createFakeClock } from "./fake-clock.js";

export interface TestKv {
  readonly name: "memory" | "redis";
  /** A fresh store; on Redis every key sits under a prefix unique to this call. */
  create(): { kv: KvStore; prefix: string };
  /** Lets `ms` pass: the fake clock jumps on memory, Redis really waits (keep it short). */
  pass(ms: number): Promise<void>;
}

const redisUrl = process.env.TEST_REDIS_URL;

/** Why the Redis variants do not run here, or null when they do. */
export const REDIS_SKIP_REASON = redisUrl ? null : "set TEST_REDIS_URL to run against Redis";

/**
 * The stores every kv test runs against: memory always, Redis when TEST_REDIS_URL is set (else
 * its suite is reported as skipped, with the reason).
 */
export function describeEachKv(title: string, body: (testKv: TestKv) => void): void {
  const clock = createFakeClock();
  const memory: TestKv = {
    name: "memory",
    create: () => ({ kv: createMemoryKvStore(clock), prefix: "" }),
    pass: async (ms) => clock.advance(ms),
  };
  describe(`${title} [memory]`, () => body(memory));
  describeUnless(REDIS_SKIP_REASON, `${title} [redis]`, () =>
    body(redisUrl ? redis(redisUrl) : unconfiguredRedis),
  );
}

function redis(url: string): TestKv {
  return {
    name: "redis",
    create: () => {
      const prefix = `osprey-test:${randomUUID()}:`;
      return { kv: createRedisKvStore({ url, prefix }), prefix };
    },
    pass: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}

/** Stands in for Redis in a skipped suite: its tests are collected, never run. */
const unconfiguredRedis: TestKv = {
  name: "redis",
  create: () => {
    throw new Error(`Redis is not configured: ${REDIS_SKIP_REASON}`);
  },
  pass: () => Promise.reject(new Error(`Redis is not configured: ${REDIS_SKIP_REASON}`)),
};
