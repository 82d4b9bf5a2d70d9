import type { AddressInfo } from "node:net";
import { type AccountService, createAccountService } from "./accounts/account-service.js";
import { createPasswordHasher } from "./accounts/password-hasher.js";
import type { ZodApp } from "./api/api-types.js";
import { createAuthGuard } from "./api/auth-guard.js";
import { createApiServer } from "./api/create-api-server.js";
import { createAccountRoutes } from "./api/routes/account-routes.js";
import type { Config } from "./config/config-schema.js";
import { type Clock, systemClock } from "./core/clock.js";
import { createLogger, type Logger } from "./core/logger.js";
import type { KvStore } from "./kv/kv-store.js";
import { createMemoryKvStore } from "./kv/memory-kv-store.js";
import { createRateLimiter } from "./kv/rate-limiter.js";
import { createRedisKvStore } from "./kv/redis-kv-store.js";
import { createMetricsRegistry } from "./metrics/metrics-registry.js";
import { createDatabase } from "./store/database.js";
import { createStore, type Store } from "./store/store.js";
import { createKdfLimiter } from "./wallet/kdf-limiter.js";

export interface AppOptions {
  readonly logger?: Logger;
  readonly clock?: Clock;
}

export interface App {
  readonly config: Config;
  readonly logger: Logger;
  readonly store: Store;
  readonly kv: KvStore;
  readonly accounts: AccountService;
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
  // One cap on argon2 work for logins and wallet unlocks together, so memory stays bounded.
  const kdfLimiter = createKdfLimiter({ maxConcurrent: config.KDF_MAX_CONCURRENT });
  const accounts = createAccountService({
    store,
    clock,
    hasher: createPasswordHasher({ limiter: kdfLimiter }),
    tokenTtlMs: config.ACCESS_TOKEN_TTL_MINUTES * 60_000,
  });
  const rateLimiter = createRateLimiter(kv);
  const guard = createAuthGuard(accounts);

  let api: ZodApp;
  try {
    api = await createApiServer(
      { config, database, kv, registry, clock },
      { logger, routes: [createAccountRoutes({ accounts, guard, rateLimiter })] },
    );
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
    accounts,
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
