import { randomUUID } from "node:crypto";
import { describe } from "vitest";
import type { KvStore } from "../../src/kv/kv-store.js";
import { createMemoryKvStore } from "../../src/kv/memory-kv-store.js";
import { createRedisKvStore } from "../../src/kv/redis-kv-store.js";
import { createFakeClock } from "./fake-clock.js";

export interface TestKv {
  readonly name: "memory" | "redis";
  /** A fresh store; on Redis every key sits under a prefix unique to this call. */
  create(): { kv: KvStore; prefix: string };
  /** Lets `ms` pass: the fake clock jumps on memory, Redis really waits (keep it short). */
  pass(ms: number): Promise<void>;
}

const redisUrl = process.env.TEST_REDIS_URL;

/** The stores every kv test runs against: memory always, Redis when TEST_REDIS_URL is set. */
export function describeEachKv(title: string, body: (testKv: TestKv) => void): void {
  const clock = createFakeClock();
  const memory: TestKv = {
    name: "memory",
    create: () => ({ kv: createMemoryKvStore(clock), prefix: "" }),
    pass: async (ms) => clock.advance(ms),
  };
  describe(`${title} [memory]`, () => body(memory));
  if (redisUrl) {
    const redis: TestKv = {
      name: "redis",
      create: () => {
        const prefix = `osprey-test:${randomUUID()}:`;
        return { kv: createRedisKvStore({ url: redisUrl, prefix }), prefix };
      },
      pass: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    };
    describe(`${title} [redis]`, () => body(redis));
  } else {
    describe.skip(`${title} [redis] — skipped: set TEST_REDIS_URL to run against Redis`, () => {});
  }
}
