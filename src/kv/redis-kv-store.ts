import { Redis } from "ioredis";
import type { KvStore } from "./kv-store.js";

// Compare-and-set as one script so no other client can write between the read and the write.
const COMPARE_AND_SET = `
local current = redis.call('GET', KEYS[1])
local expected = ARGV[1] == '1' and ARGV[2] or false
if current ~= expected then return 0 end
if ARGV[3] == '1' then
  if ARGV[5] ~= '' then redis.call('SET', KEYS[1], ARGV[4], 'PX', ARGV[5])
  else redis.call('SET', KEYS[1], ARGV[4]) end
else
  redis.call('DEL', KEYS[1])
end
return 1`;

// INCRBY and the first-hit TTL in one round trip, so a crash between them cannot leave a key forever.
const INCREMENT = `
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
if ARGV[2] ~= '' and redis.call('PTTL', KEYS[1]) == -1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return value`;

export interface RedisKvOptions {
  readonly url: string;
  /** Prefixed to every key so several deployments (or test runs) can share one Redis. */
  readonly prefix?: string;
  readonly connectTimeoutMs?: number;
}

/** A KvStore on Redis, for any number of stateless Osprey instances. */
export function createRedisKvStore(options: RedisKvOptions): KvStore {
  const redis = new Redis(options.url, {
    keyPrefix: options.prefix ?? "osprey:",
    connectTimeout: options.connectTimeoutMs ?? 5_000,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    lazyConnect: false,
  });
  // Errors surface on the commands that hit them; without a listener ioredis logs them itself.
  redis.on("error", () => {});

  return {
    kind: "redis",
    async get(key) {
      return redis.get(key);
    },
    async set(key, value, opts) {
      if (opts?.ttlMs === undefined) await redis.set(key, value);
      else await redis.set(key, value, "PX", opts.ttlMs);
    },
    async delete(key) {
      return (await redis.del(key)) > 0;
    },
    async expire(key, ttlMs) {
      return (await redis.pexpire(key, ttlMs)) === 1;
    },
    async ttl(key) {
      const ms = await redis.pttl(key);
      return ms < 0 ? null : ms;
    },
    async increment(key, opts) {
      const value = await redis.eval(INCREMENT, 1, key, String(opts?.by ?? 1), opts?.ttlMs ?? "");
      return Number(value);
    },
    async setAdd(key, members, opts) {
      if (members.length === 0) return;
      const batch = redis.multi().sadd(key, ...members);
      if (opts?.ttlMs !== undefined) batch.pexpire(key, opts.ttlMs);
      await batch.exec();
    },
    async setRemove(key, members) {
      if (members.length > 0) await redis.srem(key, ...members);
    },
    async setMembers(key) {
      return redis.smembers(key);
    },
    async compareAndSet(key, expected, next, opts) {
      const result = await redis.eval(
        COMPARE_AND_SET,
        1,
        key,
        expected === null ? "0" : "1",
        expected ?? "",
        next === null ? "0" : "1",
        next ?? "",
        opts?.ttlMs ?? "",
      );
      return Number(result) === 1;
    },
    async ping() {
      await redis.ping();
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
