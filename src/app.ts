import type { AddressInfo } from "node:net";
import type { ZodApp } from "./api/api-types.js";
import { createApiServer } from "./api/create-api-server.js";
import type { Config } from "./config/config-schema.js";
import { type Clock, systemClock } from "./core/clock.js";
import { createLogger, type Logger } from "./core/logger.js";
import type { KvStore } from "./kv/kv-store.js";
import { createMemoryKvStore } from "./kv/memory-kv-store.js";
import { createRedisKvStore } from "./kv/redis-kv-store.js";
import { createMetricsRegistry } from "./metrics/metrics-registry.js";
import { createDatabase } from "./store/database.js";
import { createStore, type Store } from "./store/store.js";

export interface AppOptions {
  readonly logger?: Logger;
  readonly clock?: Clock;
}

export interface App {
  readonly config: Config;
  readonly logger: Logger;
  readonly store: Store;
  readonly kv: KvStore;
  readonly api: ZodApp;
  /** Starts listening; resolves to the base URL, e.g. http://127.0.0.1:3000. */
  listen(port?: number): Promise<string>;
  close(): Promise<void>;
}

/** The composition root: config → database → kv → services → HTTP. Nothing here is global. */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger({ level: config.LOG_LEVEL, name: "osprey" });
  const database = await createDatabase(config.database);
  const kv = config.REDIS_URL
    ? createRedisKvStore({ url: config.REDIS_URL })
    : createMemoryKvStore(clock);
  const registry = createMetricsRegistry();
  const store = createStore(database, clock);

  let api: ZodApp;
  try {
    api = await createApiServer({ config, database, kv, registry, clock }, { logger });
  } catch (error) {
    await Promise.allSettled([kv.close(), database.close()]);
    throw error;
  }

  let closed: Promise<void> | undefined;
  return {
    config,
    logger,
    store,
    kv,
    api,
    async listen(port = config.PORT) {
      await api.listen({ host: config.HOST, port });
      const { address, port: bound } = api.server.address() as AddressInfo;
      const host = address.includes(":") ? `[${address}]` : address;
      return `http://${host}:${bound}`;
    },
    close() {
      // Stop taking requests first, then release what in-flight requests were using.
      closed ??= (async () => {
        await api.close();
        await Promise.allSettled([kv.close(), database.close()]);
      })();
      return closed;
    },
  };
}
