import { Redis, ReplyError } from "ioredis";
import { OspreyError } from "../core/osprey-error.js";
import { redactUrl } from "../core/redact-url.js";
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
  /**
   * How long a TCP connect may take, and how long commands wait for the very first connection
   * (default 5 s). After that first connection, a command finds Redis ready or fails at once.
   */
  readonly connectTimeoutMs?: number;
  /** A command that gets no answer within this fails with KV_UNAVAILABLE (default 1 s). */
  readonly commandTimeoutMs?: number;
}

// Reconnect after 100 ms, 200 ms … never more than a second apart, for as long as it takes.
const MAX_RECONNECT_DELAY_MS = 1_000;

// Replies that mean this Redis cannot serve anyone right now; any other reply error is our bug.
const UNAVAILABLE_REPLIES =
  /^(LOADING|BUSY|MASTERDOWN|READONLY|OOM|MISCONF|NOAUTH|WRONGPASS|NOPERM|CLUSTERDOWN|TRYAGAIN|NOREPLICAS) /;

function isReplyError(error: unknown): error is Error {
  return error instanceof (ReplyError as typeof Error);
}

/**
 * A KvStore on Redis, for any number of stateless Osprey instances. It fails fast: no offline
 * queue, a bounded wait for each command and for reconnecting, and every failure to reach Redis
 * is KV_UNAVAILABLE (503) rather than a growing delay or a 500.
 */
export function createRedisKvStore(options: RedisKvOptions): KvStore {
  const connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
  const redis = new Redis(options.url, {
    keyPrefix: options.prefix ?? "osprey:",
    connectTimeout: connectTimeoutMs,
    commandTimeout: options.commandTimeoutMs ?? 1_000,
    // A command while disconnected fails now; one in flight when the link drops fails at once
    // too, and is never sent again (an INCR resent after a reconnect would count twice).
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    retryStrategy: (attempt) => Math.min(attempt * 100, MAX_RECONNECT_DELAY_MS),
    lazyConnect: false,
  });
  let lastError: Error | undefined;
  // Errors surface on the commands that hit them; without a listener ioredis logs them itself.
  redis.on("error", (error: Error) => {
    lastError = error;
  });
  redis.on("ready", () => {
    lastError = undefined;
  });
  const startupDeadline = Date.now() + connectTimeoutMs;
  const firstReady = new Promise<void>((resolve) => redis.once("ready", () => resolve()));
  let everReady = false;
  void firstReady.then(() => {
    everReady = true;
  });

  function unavailable(reason: string, cause?: unknown): OspreyError {
    return new OspreyError(
      "KV_UNAVAILABLE",
      `Redis is unavailable: ${reason}.`,
      { status: redis.status },
      cause === undefined ? undefined : { cause },
    );
  }

  const isReady = () => redis.status === "ready";

  // Only the first connection is waited for (so a store can be used as soon as it is created).
  async function whenReady(): Promise<void> {
    if (isReady()) return;
    const left = startupDeadline - Date.now();
    if (!everReady && left > 0) {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, left);
      });
      await Promise.race([firstReady, timedOut]);
      clearTimeout(timer);
      if (isReady()) return;
    }
    throw unavailable(lastError ? lastError.message : `not connected (${redis.status})`, lastError);
  }

  async function run<T>(command: () => Promise<T>): Promise<T> {
    await whenReady();
    try {
      return await command();
    } catch (error) {
      if (isReplyError(error) && !UNAVAILABLE_REPLIES.test(error.message)) throw error;
      throw unavailable(error instanceof Error ? error.message : String(error), error);
    }
  }

  return {
    kind: "redis",
    get: (key) => run(() => redis.get(key)),
    async set(key, value, opts) {
      await run(() =>
        opts?.ttlMs === undefined ? redis.set(key, value) : redis.set(key, value, "PX", opts.ttlMs),
      );
    },
    delete: (key) => run(async () => (await redis.del(key)) > 0),
    expire: (key, ttlMs) => run(async () => (await redis.pexpire(key, ttlMs)) === 1),
    ttl: (key) =>
      run(async () => {
        const ms = await redis.pttl(key);
        return ms < 0 ? null : ms;
      }),
    increment: (key, opts) =>
      run(async () =>
        Number(await redis.eval(INCREMENT, 1, key, String(opts?.by ?? 1), opts?.ttlMs ?? "")),
      ),
    async setAdd(key, members, opts) {
      if (members.length === 0) return;
      await run(() => {
        const batch = redis.multi().sadd(key, ...members);
        if (opts?.ttlMs !== undefined) batch.pexpire(key, opts.ttlMs);
        return batch.exec();
      });
    },
    async setRemove(key, members) {
      if (members.length > 0) await run(() => redis.srem(key, ...members));
    },
    setMembers: (key) => run(() => redis.smembers(key)),
    compareAndSet: (key, expected, next, opts) =>
      run(async () => {
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
      }),
    async ping() {
      await run(() => redis.ping());
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/**
 * A Redis KvStore whose server answered: start-up stops here, with an error naming REDIS_URL,
 * rather than serving every request a 503 because of a mistyped host or password.
 */
export async function openRedisKvStore(options: RedisKvOptions): Promise<KvStore> {
  const kv = createRedisKvStore(options);
  try {
    await kv.ping();
    return kv;
  } catch (cause) {
    await kv.close();
    const password = decodeURIComponent(new URL(options.url).password);
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new OspreyError(
      "KV_UNAVAILABLE",
      `REDIS_URL (${redactUrl(options.url)}) did not answer within ${options.connectTimeoutMs ?? 5_000} ms. ${password ? reason.replaceAll(password, "***") : reason}`,
      { variable: "REDIS_URL" },
      { cause },
    );
  }
}
