export type { KvSetOptions, KvStore } from "./kv-store.js";
export { createMemoryKvStore } from "./memory-kv-store.js";
export { createRateLimiter, type RateLimit, type RateLimiter } from "./rate-limiter.js";
export { createRedisKvStore, openRedisKvStore, type RedisKvOptions } from "./redis-kv-store.js";
