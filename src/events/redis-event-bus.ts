import { Redis } from "ioredis";
import { OspreyError } from "../core/osprey-error.js";
import type { EventBus, UserEvent } from "./event-types.js";
import { parseUserEvent } from "./event-types.js";
import { createListenerRegistry } from "./listener-registry.js";

export interface RedisEventBusOptions {
  readonly url: string;
  /** REDIS_PREFIX: channels are `<prefix>events:user:<userId>`, so deployments can share Redis. */
  readonly prefix?: string;
  /** How long a connect, and a subscription, may take (default 5 s). */
  readonly connectTimeoutMs?: number;
  /** A PUBLISH with no answer within this is given up (default 1 s). */
  readonly commandTimeoutMs?: number;
  /** A publish that failed, a listener that threw: the event is lost, the caller goes on. */
  readonly onError?: (error: unknown) => void;
}

const MAX_RECONNECT_DELAY_MS = 1_000;

/**
 * Per-user events across instances through Redis pub/sub: one channel per user, subscribed on
 * an instance while one of its streams belongs to that user. A subscriber connection can run no
 * other command, so it is a connection of its own; ioredis subscribes again after a reconnect.
 * Events published while Redis is unreachable are lost: a stream's `ready` after reconnecting
 * tells the page to read the state again.
 */
export function createRedisEventBus(options: RedisEventBusOptions): EventBus {
  const channelPrefix = `${options.prefix ?? "osprey:"}events:user:`;
  const connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
  const onError = options.onError ?? (() => {});
  const retryStrategy = (attempt: number) => Math.min(attempt * 100, MAX_RECONNECT_DELAY_MS);
  const publisher = new Redis(options.url, {
    connectTimeout: connectTimeoutMs,
    commandTimeout: options.commandTimeoutMs ?? 1_000,
    // Fail at once while disconnected: a late event is worth less than a stalled order.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy,
  });
  // Its SUBSCRIBE commands wait for a reconnect rather than fail: the subscribe timeout bounds that.
  const subscriber = new Redis(options.url, {
    connectTimeout: connectTimeoutMs,
    autoResubscribe: true,
    retryStrategy,
  });
  // Errors surface on the commands that hit them; without a listener ioredis logs them itself.
  publisher.on("error", () => {});
  subscriber.on("error", () => {});
  // Only the first connection is waited for, as the kv store does: an event published as the
  // app starts is not lost to a connection still being made; later outages fail at once.
  const startupDeadline = Date.now() + connectTimeoutMs;
  let everReady = false;
  const firstReady = new Promise<void>((resolve) =>
    publisher.once("ready", () => {
      everReady = true;
      resolve();
    }),
  );
  async function publisherReady(): Promise<void> {
    const left = startupDeadline - Date.now();
    if (everReady || publisher.status === "ready" || left <= 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      firstReady,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, left);
      }),
    ]);
    clearTimeout(timer);
  }

  const listeners = createListenerRegistry(onError);
  const pending = new Map<string, Promise<void>>();

  subscriber.on("message", (channel: string, message: string) => {
    if (!channel.startsWith(channelPrefix)) return;
    const event = parseUserEvent(message);
    if (event) listeners.deliver(channel.slice(channelPrefix.length), event);
  });

  async function subscribeChannel(userId: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new OspreyError("KV_UNAVAILABLE", "Redis did not confirm the subscription.")),
        connectTimeoutMs,
      );
    });
    try {
      await Promise.race([subscriber.subscribe(`${channelPrefix}${userId}`), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  function unsubscribeChannel(userId: string): void {
    subscriber.unsubscribe(`${channelPrefix}${userId}`).catch(onError);
  }

  return {
    kind: "redis",
    async publish(userId: string, event: UserEvent) {
      try {
        await publisherReady();
        await publisher.publish(`${channelPrefix}${userId}`, JSON.stringify(event));
      } catch (error) {
        onError(error);
      }
    },
    async subscribe(userId, listener) {
      // The user's first listener subscribes; the others wait for that (or for nothing).
      let subscribing = pending.get(userId);
      if (listeners.add(userId, listener)) {
        const started: Promise<void> = subscribeChannel(userId).finally(() => {
          if (pending.get(userId) === started) pending.delete(userId);
        });
        subscribing = started;
        pending.set(userId, started);
      }
      try {
        await subscribing;
      } catch (error) {
        if (listeners.remove(userId, listener)) unsubscribeChannel(userId);
        throw error instanceof OspreyError
          ? error
          : new OspreyError("KV_UNAVAILABLE", undefined, {}, { cause: error });
      }
      return () => {
        if (listeners.remove(userId, listener)) unsubscribeChannel(userId);
      };
    },
    countListeners: (userId) => listeners.count(userId),
    async close() {
      listeners.clear();
      // QUIT would wait in the offline queue of a connection that never came up.
      const end = async (redis: Redis) => {
        if (redis.status !== "ready") redis.disconnect();
        else await redis.quit().catch(() => redis.disconnect());
      };
      await Promise.allSettled([end(publisher), end(subscriber)]);
    },
  };
}
