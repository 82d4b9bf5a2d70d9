import type { AddressInfo } from "node:net";
import { address as toKitAddress } from "@solana/kit";
import type { AccountService } from "./accounts/account-service.js";
import type { ZodApp } from "./api/api-types.js";
import { createAuthGuard } from "./api/auth-guard.js";
import { createApiServer } from "./api/create-api-server.js";
import { createAccountRoutes } from "./api/routes/account-routes.js";
import { createWalletRoutes } from "./api/routes/wallet-routes.js";
import { type ChainClient, createChainClient } from "./chain/chain-client.js";
import type { Config } from "./config/config-schema.js";
import type { Address } from "./core/addresses.js";
import { type Clock, systemClock } from "./core/clock.js";
import { createLogger, type Logger } from "./core/logger.js";
import { createServices } from "./create-services.js";
import type { KvStore } from "./kv/kv-store.js";
import { createMemoryKvStore } from "./kv/memory-kv-store.js";
import { createRateLimiter } from "./kv/rate-limiter.js";
import { createRedisKvStore } from "./kv/redis-kv-store.js";
import { createMetricsRegistry } from "./metrics/metrics-registry.js";
import { createDatabase } from "./store/database.js";
import { createStore, type Store } from "./store/store.js";
import { getWalletBalances } from "./wallet/get-wallet-balances.js";
import type { SessionManager } from "./wallet/session-types.js";

export interface AppOptions {
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** RPC URLs of the embedded sandbox, when `serve` started one (else SOLANA_RPC_URLS). */
  readonly rpcUrls?: readonly string[];
}

export interface App {
  readonly config: Config;
  readonly logger: Logger;
  readonly store: Store;
  readonly kv: KvStore;
  readonly accounts: AccountService;
  readonly sessions: SessionManager;
  readonly chain: ChainClient | null;
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
    ? createRedisKvStore({ url: config.REDIS_URL, prefix: config.REDIS_PREFIX })
    : createMemoryKvStore(clock);
  const registry = createMetricsRegistry();
  const store = createStore(database, clock);
  const { accounts, sessions, wallets } = createServices(config, store, kv, clock);
  const rateLimiter = createRateLimiter(kv);
  const guard = createAuthGuard(accounts);
  const endpoints = options.rpcUrls?.join(",") ?? config.SOLANA_RPC_URLS;
  const chain = endpoints
    ? createChainClient({
        endpoints,
        clock,
        random: Math.random,
        registry,
        onError: (error) => logger.warn({ err: error }, "chain background task failed"),
      })
    : null;

  let api: ZodApp;
  try {
    api = await createApiServer(
      { config, database, kv, registry, clock },
      {
        logger,
        routes: [
          createAccountRoutes({ accounts, guard, rateLimiter }),
          createWalletRoutes({
            wallets,
            sessions,
            store,
            guard,
            rateLimiter,
            ...(chain
              ? {
                  getBalances: (owner: Address) =>
                    getWalletBalances(chain.rpc, toKitAddress(owner)),
                }
              : {}),
          }),
        ],
      },
    );
  } catch (error) {
    chain?.close();
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
    sessions,
    chain,
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
        chain?.close();
        await Promise.allSettled([kv.close(), database.close()]);
      })();
      return closed;
    },
  };
}
