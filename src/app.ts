import type { AddressInfo } from "node:net";
import { address as toKitAddress } from "@solana/kit";
import type { AccountService } from "./accounts/account-service.js";
import { createUserSettingsService } from "./accounts/user-settings.js";
import type { ZodApp } from "./api/api-types.js";
import { createAuthGuard } from "./api/auth-guard.js";
import { createApiServer } from "./api/create-api-server.js";
import { createRequireAccess } from "./api/route-access.js";
import { createAccountRoutes } from "./api/routes/account-routes.js";
import { createAdminRoutes } from "./api/routes/admin-routes.js";
import {
  createEventRoutes,
  type EventRoutesOptions,
  type PriceTicks,
} from "./api/routes/event-routes.js";
import { createOrderRoutes } from "./api/routes/order-routes.js";
import { createQuoteRoutes } from "./api/routes/quote-routes.js";
import { createSafetyRoutes } from "./api/routes/safety-routes.js";
import { createSettingsRoutes } from "./api/routes/settings-routes.js";
import { createWalletRoutes } from "./api/routes/wallet-routes.js";
import { type ChainClient, createChainClient } from "./chain/chain-client.js";
import type { Config } from "./config/config-schema.js";
import type { Address } from "./core/addresses.js";
import { type Clock, systemClock } from "./core/clock.js";
import { createLogger, type Logger } from "./core/logger.js";
import { isOspreyError } from "./core/osprey-error.js";
import { createServices } from "./create-services.js";
import type { EventBus } from "./events/event-types.js";
import { createMemoryEventBus } from "./events/memory-event-bus.js";
import { createOrderChangePublisher } from "./events/order-events.js";
import { createRedisEventBus } from "./events/redis-event-bus.js";
import type { KvStore } from "./kv/kv-store.js";
import { createMemoryKvStore } from "./kv/memory-kv-store.js";
import { createRateLimiter } from "./kv/rate-limiter.js";
import { openRedisKvStore } from "./kv/redis-kv-store.js";
import { createMetricsRegistry } from "./metrics/metrics-registry.js";
import { createOperatorOverview } from "./operator/get-operator-overview.js";
import { getAllowListEntries } from "./safety/get-allow-list-entries.js";
import { createTokenAnalyzer, type TokenAnalyzer } from "./safety/index.js";
import { createDatabase } from "./store/database.js";
import { createLockWaitCounter } from "./store/lock-wait-counter.js";
import { createStore, type Store } from "./store/store.js";
import { createSwapClient, type SwapClient } from "./swap/swap-client.js";
import { createTrading, type Trading, type TradingOptions } from "./trading/create-trading.js";
import { getFeeAccount, warnIfMissing } from "./trading/fee-account.js";
import { getWalletBalances } from "./wallet/get-wallet-balances.js";
import type { SessionManager } from "./wallet/session-types.js";

/** Jupiter's public swap API, used when real RPC endpoints are set without JUPITER_API_URL. */
const PUBLIC_JUPITER_SWAP_API = "https://lite-api.jup.ag/swap/v1";
const PUBLIC_JUPITER_PRICE_API = "https://lite-api.jup.ag/price/v3";

export interface AppOptions {
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** RPC URLs of the embedded sandbox, when `serve` started one (else SOLANA_RPC_URLS). */
  readonly rpcUrls?: readonly string[];
  /** The embedded sandbox's swap API (else JUPITER_API_URL). */
  readonly swapApiUrl?: string;
  /** Tokens the operator vouches for as they are now (the sandbox's stable), by symbol. */
  readonly pinnedMints?: Readonly<Record<string, string>>;
  /** The embedded sandbox's price API (else JUPITER_PRICE_URL). */
  readonly priceApiUrl?: string;
  /** The operator's fee wallet when FEE_WALLET is unset (serve makes one for the sandbox). */
  readonly feeWallet?: Address;
  /** Order engine knobs for tests: how long POST /v1/orders waits, a seam to skip landing. */
  readonly orders?: Pick<
    TradingOptions,
    "waitMs" | "shouldLand" | "reconcileIntervalMs" | "orderConcurrency"
  >;
  /** Price ticks for the event stream's `watch` (tests; the app's own sampler otherwise). */
  readonly priceTicks?: PriceTicks;
  /** Event stream knobs for tests: a shorter ping (and credential re-check) than 15 s. */
  readonly eventStream?: Pick<EventRoutesOptions, "pingIntervalMs">;
}

export interface App {
  readonly config: Config;
  readonly logger: Logger;
  readonly store: Store;
  readonly kv: KvStore;
  readonly accounts: AccountService;
  readonly sessions: SessionManager;
  readonly chain: ChainClient | null;
  readonly swapClient: SwapClient;
  readonly analyzer: TokenAnalyzer | null;
  /** The order engine and reconciler; null without a chain. */
  readonly trading: Trading | null;
  /** Per-user live events (GET /v1/events); Redis pub/sub when REDIS_URL is set. */
  readonly events: EventBus;
  readonly api: ZodApp;
  /** Starts listening; resolves to the base URL, e.g. http://127.0.0.1:3000. */
  listen(port?: number): Promise<string>;
  close(): Promise<void>;
}

/** The token analyzer, with the built-in majors, the operator's list and any pinned tokens. */
async function createAnalyzer(
  config: Config,
  chain: ChainClient,
  swapClient: SwapClient,
  clock: Clock,
  pinnedMints: Readonly<Record<string, string>> = {},
): Promise<TokenAnalyzer> {
  return createTokenAnalyzer({
    rpc: chain.rpc,
    swapClient,
    clock,
    cacheTtlMs: config.SAFETY_CACHE_MS,
    allowList: await getAllowListEntries({
      rpc: chain.rpc,
      file: config.OSPREY_SAFETY_ALLOW_LIST,
      pinnedMints,
    }),
  });
}

/** The price API: given, configured, or the one beside the embedded sandbox's swap API. */
function getPriceApiUrl(config: Config, options: AppOptions): string {
  if (options.priceApiUrl) return options.priceApiUrl;
  if (config.JUPITER_PRICE_URL) return config.JUPITER_PRICE_URL;
  // The sandbox serves /swap/v1 and /price/v3 from one server, as Jupiter's hosts do.
  if (options.swapApiUrl) return options.swapApiUrl.replace(/\/swap\/v1\/?$/, "/price/v3");
  return PUBLIC_JUPITER_PRICE_API;
}

/** Redis when REDIS_URL is set, and it must answer before the server starts; else in-process. */
function openKvStore(config: Config, clock: Clock): Promise<KvStore> {
  if (!config.REDIS_URL) return Promise.resolve(createMemoryKvStore(clock));
  return openRedisKvStore({
    url: config.REDIS_URL,
    prefix: config.REDIS_PREFIX,
    connectTimeoutMs: config.REDIS_CONNECT_TIMEOUT_MS,
    commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS,
  });
}

/** Redis pub/sub when REDIS_URL is set (events then reach streams on every instance). */
function createEventBus(config: Config, logger: Logger): EventBus {
  const onError = (error: unknown) => logger.warn({ err: error }, "event not delivered");
  if (!config.REDIS_URL) return createMemoryEventBus({ onListenerError: onError });
  return createRedisEventBus({
    url: config.REDIS_URL,
    prefix: config.REDIS_PREFIX,
    connectTimeoutMs: config.REDIS_CONNECT_TIMEOUT_MS,
    commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS,
    onError,
  });
}

/** The composition root: config → database → kv → services → HTTP. Nothing here is global. */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger({ level: config.LOG_LEVEL, name: "osprey" });
  const registry = createMetricsRegistry();
  const database = await createDatabase(config.database, {
    sqliteLockWaitMs: config.SQLITE_LOCK_WAIT_MS,
    onLockWait: createLockWaitCounter(registry),
  });
  const kv = await openKvStore(config, clock).catch(async (error: unknown) => {
    await database.close();
    throw error;
  });
  const store = createStore(database, clock);
  const events = createEventBus(config, logger);
  const { accounts, sessions, wallets } = createServices(config, store, kv, clock);
  const rateLimiter = createRateLimiter(kv);
  const guard = createAuthGuard(accounts);
  const requireAccess = createRequireAccess({ guard, rateLimiter });
  const endpoints = options.rpcUrls?.join(",") ?? config.SOLANA_RPC_URLS;
  const chain = endpoints
    ? createChainClient({
        endpoints,
        clock,
        random: Math.random,
        registry,
        // A quarter slot by default: a confirmation is noticed ~50 ms after it happens.
        lander: { pollIntervalMs: config.LANDER_POLL_MS },
        maxBatch: config.RPC_BATCH_MAX,
        onError: (error) => logger.warn({ err: error }, "chain background task failed"),
      })
    : null;
  const swapClient = createSwapClient({
    baseUrl: options.swapApiUrl ?? config.JUPITER_API_URL ?? PUBLIC_JUPITER_SWAP_API,
    ...(config.JUPITER_API_KEY ? { apiKey: config.JUPITER_API_KEY } : {}),
    clock,
  });
  let analyzer: TokenAnalyzer | null = null;
  let trading: Trading | null = null;
  let api: ZodApp;
  try {
    analyzer =
      chain && (await createAnalyzer(config, chain, swapClient, clock, options.pinnedMints));
    const feeWallet = (config.FEE_WALLET as Address | undefined) ?? options.feeWallet ?? null;
    const feeAccount = chain && feeWallet ? await getFeeAccount(feeWallet) : null;
    if (chain && feeAccount && feeWallet) warnIfMissing(chain, feeAccount, feeWallet, logger);
    trading =
      chain &&
      analyzer &&
      createTrading({
        store,
        sessions,
        chain,
        swapClient,
        analyzer,
        registry,
        clock,
        logger,
        feeAccount,
        feeBps: config.FEE_BPS,
        priceApiUrl: getPriceApiUrl(config, options),
        orderConcurrency: config.ORDER_CONCURRENCY,
        onOrderChange: createOrderChangePublisher(events),
        ...options.orders,
      });
    api = await createApiServer(
      { config, database, kv, registry, clock },
      {
        logger,
        routes: [
          createAccountRoutes({ accounts, requireAccess }),
          createWalletRoutes({
            wallets,
            sessions,
            store,
            requireAccess,
            ...(chain
              ? {
                  getBalances: (owner: Address) =>
                    getWalletBalances(chain.rpc, toKitAddress(owner)),
                }
              : {}),
          }),
          createSettingsRoutes({ settings: createUserSettingsService(store), requireAccess }),
          createAdminRoutes({
            getOverview: createOperatorOverview({
              store,
              clock,
              ...(chain ? { getRpcStatus: () => chain.pool.getStatus() } : {}),
            }),
            requireAccess,
          }),
          createEventRoutes({
            bus: events,
            requireAccess,
            maxStreamsPerUser: config.EVENT_STREAMS_PER_USER,
            // Only a refusal ends a stream: a database blip does not.
            isStillAuthenticated: (request) =>
              guard(request).then(
                () => true,
                (error: unknown) => !isOspreyError(error, "UNAUTHENTICATED"),
              ),
            ...(options.priceTicks ? { priceTicks: options.priceTicks } : {}),
            ...options.eventStream,
          }),
          ...(analyzer ? [createSafetyRoutes({ analyzer, requireAccess })] : []),
          ...(trading && chain
            ? [
                createQuoteRoutes({
                  swapClient,
                  requireAccess,
                  feeBps: feeWallet ? config.FEE_BPS : 0,
                }),
                createOrderRoutes({
                  engine: trading.engine,
                  store,
                  requireAccess,
                  orderLimit: { limit: config.ORDER_RATE_LIMIT, windowMs: 60_000 },
                  positions: { store, swapClient, prices: trading.prices, chain },
                }),
              ]
            : []),
        ],
      },
    );
  } catch (error) {
    chain?.close();
    await Promise.allSettled([kv.close(), database.close(), events.close()]);
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
    swapClient,
    analyzer,
    trading,
    events,
    api,
    async listen(port = config.PORT) {
      await trading?.start();
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
        // Landings in flight stop with LANDER_CLOSED; their orders stay SIGNED/SUBMITTED for the reconciler.
        await trading?.stop();
        await Promise.allSettled([kv.close(), database.close(), events.close()]);
      })();
      return closed;
    },
  };
}
