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
import { createAutomationRoutes } from "./api/routes/automation-routes.js";
import {
  createEventRoutes,
  type EventRoutesOptions,
  type PriceTicks,
} from "./api/routes/event-routes.js";
import { createFaucetRoutes } from "./api/routes/faucet-routes.js";
import { createMetaRoutes } from "./api/routes/meta-routes.js";
import { createOrderRoutes } from "./api/routes/order-routes.js";
import { createQuoteRoutes } from "./api/routes/quote-routes.js";
import { createSafetyRoutes } from "./api/routes/safety-routes.js";
import { createSettingsRoutes } from "./api/routes/settings-routes.js";
import { createTelegramRoutes } from "./api/routes/telegram-routes.js";
import { createTokenRoutes } from "./api/routes/token-routes.js";
import { createTriggerRoutes } from "./api/routes/trigger-routes.js";
import { createWalletRoutes } from "./api/routes/wallet-routes.js";
import { createWebRoutes } from "./api/routes/web-routes.js";
import { createWebhookRoutes } from "./api/routes/webhook-routes.js";
import { createWithdrawalRoutes } from "./api/routes/withdrawal-routes.js";
import { type Automation, createAutomation } from "./automation/create-automation.js";
import { loadAutomationKey } from "./automation/grants/automation-key.js";
import { createGrantService, type GrantService } from "./automation/grants/grant-service.js";
import { createUserNotifier, type NotifyUser } from "./automation/notify-user.js";
import {
  createTriggerService,
  type TriggerService,
} from "./automation/triggers/trigger-service.js";
import {
  createWebhookDeliverer,
  type WebhookDelivererOptions,
} from "./automation/webhooks/webhook-deliverer.js";
import {
  createWebhookService,
  type WebhookService,
} from "./automation/webhooks/webhook-service.js";
import { type ChainClient, createChainClient } from "./chain/chain-client.js";
import { getJitoUrl, JITO_PATHS } from "./chain/jito-client.js";
import { requestAirdrop } from "./chain/request-airdrop.js";
import type { TipPercentile } from "./chain/tip-floor.js";
import type { TipOptions } from "./chain/tip-resolver.js";
import { getCluster, getExplorerUrl, getTransactionUrl } from "./config/cluster.js";
import type { Config } from "./config/config-schema.js";
import type { Address } from "./core/addresses.js";
import { type Clock, systemClock } from "./core/clock.js";
import type { UserId } from "./core/ids.js";
import { createLogger, type Logger } from "./core/logger.js";
import { isOspreyError } from "./core/osprey-error.js";
import { createServices } from "./create-services.js";
import type { EventBus } from "./events/event-types.js";
import { createMemoryEventBus } from "./events/memory-event-bus.js";
import {
  createOrderChangePublisher,
  createWithdrawalChangePublisher,
} from "./events/order-events.js";
import { createRedisEventBus } from "./events/redis-event-bus.js";
import type { KvStore } from "./kv/kv-store.js";
import { createMemoryKvStore } from "./kv/memory-kv-store.js";
import { createRateLimiter } from "./kv/rate-limiter.js";
import { openRedisKvStore } from "./kv/redis-kv-store.js";
import { createMetricsRegistry } from "./metrics/metrics-registry.js";
import { createOperatorOverview } from "./operator/get-operator-overview.js";
import { getAllowListEntries } from "./safety/get-allow-list-entries.js";
import { type AllowListEntry, createTokenAnalyzer, type TokenAnalyzer } from "./safety/index.js";
import { readMintFacts } from "./safety/read-chain-facts.js";
import { createDatabase } from "./store/database.js";
import { createLockWaitCounter } from "./store/lock-wait-counter.js";
import { createStore, type Store } from "./store/store.js";
import { createPriceBatch } from "./swap/price-batch.js";
import { createSwapClient, type SwapClient } from "./swap/swap-client.js";
import { createSwapV2Client, type SwapV2Client } from "./swap/swap-v2-client.js";
import { createTelegram, type Telegram, type TelegramOptions } from "./telegram/create-telegram.js";
import { createPriceSampler, type PriceSampler } from "./tokens/price-sampler.js";
import { createTokenListClient } from "./tokens/token-list-client.js";
import { createTokenService } from "./tokens/token-service.js";
import { createTrading, type Trading, type TradingOptions } from "./trading/create-trading.js";
import { getFeeAccount, warnIfMissing } from "./trading/fee-account.js";
import { getPositions } from "./trading/get-positions.js";
import { SOL_MINT } from "./trading/price-client.js";
import { getWalletBalances } from "./wallet/get-wallet-balances.js";
import type { SessionManager } from "./wallet/session-types.js";
import { WEB_BUNDLE_DIR } from "./web/web-bundle.js";
import {
  createWithdrawals,
  type Withdrawals,
  type WithdrawalsOptions,
} from "./withdrawals/create-withdrawals.js";

/** Jupiter's public swap API, used when real RPC endpoints are set without JUPITER_API_URL. */
const PUBLIC_JUPITER_SWAP_API = "https://lite-api.jup.ag/swap/v1";
/** Jupiter's Swap API v2, when neither JUPITER_SWAP_V2_URL nor a v1 URL to derive it from is set. */
const PUBLIC_JUPITER_SWAP_V2_API = "https://api.jup.ag/swap/v2";
const PUBLIC_JUPITER_PRICE_API = "https://lite-api.jup.ag/price/v3";
const PUBLIC_JUPITER_TOKENS_API = "https://lite-api.jup.ag/tokens/v2";

export interface AppOptions {
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** RPC URLs of the embedded sandbox, when `serve` started one (else SOLANA_RPC_URLS). */
  readonly rpcUrls?: readonly string[];
  /** The embedded sandbox's block engines (else JITO_URLS): private landing routes. */
  readonly jitoUrls?: readonly string[];
  /** The embedded sandbox's senders (else SENDER_URLS): private landing routes. */
  readonly senderUrls?: readonly string[];
  /** The embedded sandbox's tip floor (else JITO_TIP_FLOOR_URL). */
  readonly tipFloorUrl?: string;
  /** The embedded sandbox's swap API (else JUPITER_API_URL). */
  readonly swapApiUrl?: string;
  /** The embedded sandbox's Swap API v2 (else beside swapApiUrl, else JUPITER_SWAP_V2_URL). */
  readonly swapV2Url?: string;
  /** Tokens the operator vouches for as they are now (the sandbox's stable), by symbol. */
  readonly pinnedMints?: Readonly<Record<string, string>>;
  /** The embedded sandbox's price API (else JUPITER_PRICE_URL). */
  readonly priceApiUrl?: string;
  /** The embedded sandbox's token search (else JUPITER_TOKENS_URL, else beside swapApiUrl). */
  readonly tokensApiUrl?: string;
  /** The operator's fee wallet when FEE_WALLET is unset (serve makes one for the sandbox). */
  readonly feeWallet?: Address;
  /** Order engine knobs for tests: how long POST /v1/orders waits, a seam to skip landing. */
  readonly orders?: Pick<
    TradingOptions,
    "waitMs" | "shouldLand" | "reconcileIntervalMs" | "orderConcurrency"
  >;
  /** The built web terminal served at `/` (default dist/web; `serve` builds it when stale). */
  readonly webDir?: string;
  /**
   * True when `serve` started the embedded sandbox (with rpcUrls): the cluster is "sandbox" and
   * the faucet (POST /v1/wallets/:id/faucet) is on. Never guessed from the URLs.
   */
  readonly sandbox?: boolean;
  /** Every status change of a withdrawal, as its JSON (the lead wires it to the event bus). */
  readonly onWithdrawalChange?: WithdrawalsOptions["onWithdrawalChange"];
  /** Withdrawal knobs for tests, as `orders`. */
  readonly withdrawals?: Pick<WithdrawalsOptions, "waitMs" | "shouldLand" | "reconcileIntervalMs">;
  /** Price ticks for the event stream's `watch` (tests; the app's own sampler otherwise). */
  readonly priceTicks?: PriceTicks;
  /** Event stream knobs for tests: a shorter ping (and credential re-check) than 15 s. */
  readonly eventStream?: Pick<EventRoutesOptions, "pingIntervalMs">;
  /** The embedded sandbox's automation key when AUTOMATION_KEY(_FILE) is unset (serve makes one). */
  readonly automationKey?: Buffer;
  /** Webhook delivery knobs for tests (a short backoff, a quick poll). */
  readonly webhooks?: Pick<
    WebhookDelivererOptions,
    "backoffBaseMs" | "maxBackoffMs" | "intervalMs" | "timeoutMs" | "maxAttempts"
  >;
  /** Telegram bot knobs for tests and benchmarks: a placement hook, the per-user allowance. */
  readonly telegram?: Pick<TelegramOptions, "onPlaced" | "updatesPerUser">;
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
  /** Swap API v2 (`GET /build`), for orders when JUPITER_SWAP_API is v2. */
  readonly swapV2Client: SwapV2Client;
  readonly analyzer: TokenAnalyzer | null;
  /** The order engine and reconciler; null without a chain. */
  readonly trading: Trading | null;
  /** Firing standing orders: price watcher, firer, sweeper (src/automation); null without trading. */
  readonly automationRunner: Automation | null;
  /** Withdrawals and their reconciler; null without a chain. */
  readonly withdrawals: Withdrawals | null;
  /** Samples the prices of viewed and held tokens into candles; null without a chain. */
  readonly priceSampler: PriceSampler | null;
  /** Per-user live events (GET /v1/events); Redis pub/sub when REDIS_URL is set. */
  readonly events: EventBus;
  /** Standing orders (POST /v1/triggers); null without a chain. */
  readonly triggers: TriggerService | null;
  /** The Telegram bot (src/telegram); null without TELEGRAM_BOT_TOKEN. */
  readonly telegram: Telegram | null;
  /** Automation grants, users' webhooks, and the notifier (event stream + webhook outbox). */
  readonly automation: {
    readonly grants: GrantService;
    readonly webhooks: WebhookService;
    readonly notify: NotifyUser;
  };
  readonly api: ZodApp;
  /** Starts listening; resolves to the base URL, e.g. http://127.0.0.1:3000. */
  listen(port?: number): Promise<string>;
  close(): Promise<void>;
}

/** The allow-list: the built-in majors, the operator's list and any pinned tokens. */
function readAllowList(
  config: Config,
  chain: ChainClient,
  pinnedMints: Readonly<Record<string, string>> = {},
): Promise<AllowListEntry[]> {
  return getAllowListEntries({
    rpc: chain.rpc,
    file: config.OSPREY_SAFETY_ALLOW_LIST,
    pinnedMints,
  });
}

/** The token analyzer over the allow-list. */
function createAnalyzer(
  config: Config,
  chain: ChainClient,
  swapClient: SwapClient,
  clock: Clock,
  allowList: readonly AllowListEntry[],
): TokenAnalyzer {
  return createTokenAnalyzer({
    rpc: chain.rpc,
    swapClient,
    clock,
    cacheTtlMs: config.SAFETY_CACHE_MS,
    allowList,
  });
}

/** The price API: given, configured, or the one beside the embedded sandbox's swap API. */
/** Jito's public tip floor, used on a real cluster when JITO_TIP_FLOOR_URL is unset. */
const PUBLIC_JITO_TIP_FLOOR = "https://bundles.jito.wtf/api/v1/bundles/tip_floor";

function getTipOptions(config: Config, options: AppOptions): TipOptions {
  const floorUrl =
    options.tipFloorUrl ??
    config.JITO_TIP_FLOOR_URL ??
    // The embedded sandbox's block engine serves its own tip floor.
    (options.jitoUrls?.[0] === undefined
      ? PUBLIC_JITO_TIP_FLOOR
      : getJitoUrl(options.jitoUrls[0], JITO_PATHS.tipFloor));
  return {
    percentile: config.JITO_TIP_PERCENTILE as TipPercentile,
    maxLamports: config.JITO_TIP_MAX_LAMPORTS,
    floorUrl,
    ...(config.JITO_TIP_LAMPORTS === undefined ? {} : { fixedLamports: config.JITO_TIP_LAMPORTS }),
  };
}

function getPriceApiUrl(config: Config, options: AppOptions): string {
  if (options.priceApiUrl) return options.priceApiUrl;
  if (config.JUPITER_PRICE_URL) return config.JUPITER_PRICE_URL;
  // The sandbox serves /swap/v1 and /price/v3 from one server, as Jupiter's hosts do.
  if (options.swapApiUrl) return options.swapApiUrl.replace(/\/swap\/v1\/?$/, "/price/v3");
  return PUBLIC_JUPITER_PRICE_API;
}

/**
 * Swap API v2's base: the embedded sandbox's (given, or beside its `/swap/v1`), else
 * JUPITER_SWAP_V2_URL, else JUPITER_API_URL with a trailing `/swap/v1` read as `/swap/v2`, else
 * Jupiter's. The embedded sandbox wins as it does for v1, so both APIs always name one market.
 */
export function getSwapV2Url(config: Config, options: AppOptions): string {
  const v1ToV2 = (url: string) =>
    /\/swap\/v1\/?$/.test(url) ? url.replace(/\/swap\/v1\/?$/, "/swap/v2") : null;
  if (options.swapV2Url) return options.swapV2Url;
  const sandbox = options.swapApiUrl && v1ToV2(options.swapApiUrl);
  if (sandbox) return sandbox;
  if (config.JUPITER_SWAP_V2_URL) return config.JUPITER_SWAP_V2_URL;
  const derived = config.JUPITER_API_URL && v1ToV2(config.JUPITER_API_URL);
  return derived || PUBLIC_JUPITER_SWAP_V2_API;
}

/** The token search: given, configured, or the one beside the embedded sandbox's swap API. */
function getTokensApiUrl(config: Config, options: AppOptions): string {
  if (options.tokensApiUrl) return options.tokensApiUrl;
  if (config.JUPITER_TOKENS_URL) return config.JUPITER_TOKENS_URL;
  if (options.swapApiUrl) return options.swapApiUrl.replace(/\/swap\/v1\/?$/, "/tokens/v2");
  return PUBLIC_JUPITER_TOKENS_API;
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

/** A user's positions as GET /v1/positions gives them, for the bot; null without trading. */
function positionsOf(
  store: Store,
  swapClient: SwapClient,
  trading: Trading | null,
  chain: ChainClient | null,
) {
  if (!trading || !chain) return null;
  return (userId: UserId) =>
    getPositions({ store, swapClient, prices: trading.prices, chain }, userId);
}

/** The composition root: config → database → kv → services → HTTP. Nothing here is global. */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger({ level: config.LOG_LEVEL, name: "osprey" });
  // Read first: a bad AUTOMATION_KEY stops the start before anything is opened.
  const automationKey =
    options.automationKey ?? loadAutomationKey(config, (message) => logger.warn(message));
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
  const publishWithdrawalChange = createWithdrawalChangePublisher(events);
  const { accounts, sessions, wallets } = createServices(config, store, kv, clock);
  const rateLimiter = createRateLimiter(kv);
  // Automation: grants (off without an automation key), webhooks and the user notifier.
  // Ending a grant pauses its wallet's triggers, a new one resumes them (the automation runner).
  let automationRunner: Automation | null = null;
  const grants = createGrantService({
    store,
    wallets,
    automationKey,
    clock,
    onGrantEnded: async (grant, reasonCode) => automationRunner?.onGrantEnded(grant, reasonCode),
    onGrantCreated: async (grant) => automationRunner?.onGrantCreated(grant),
  });
  const webhooks = createWebhookService({ store, clock });
  const notify = createUserNotifier({
    bus: events,
    webhooks,
    onError: (error) => logger.warn({ err: error }, "webhook event not queued"),
  });
  const webhookDeliverer = createWebhookDeliverer({
    store,
    clock,
    logger,
    registry,
    ...options.webhooks,
  });
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
        lander: {
          pollIntervalMs: config.LANDER_POLL_MS,
          rebroadcastMs: config.LANDER_REBROADCAST_MS,
        },
        privateRoutes: {
          jito: options.jitoUrls ?? config.JITO_URLS,
          sender: options.senderUrls ?? config.SENDER_URLS,
        },
        tips: getTipOptions(config, options),
        maxBatch: config.RPC_BATCH_MAX,
        onError: (error) => logger.warn({ err: error }, "chain background task failed"),
      })
    : null;
  const swapClient = createSwapClient({
    baseUrl: options.swapApiUrl ?? config.JUPITER_API_URL ?? PUBLIC_JUPITER_SWAP_API,
    ...(config.JUPITER_API_KEY ? { apiKey: config.JUPITER_API_KEY } : {}),
    clock,
  });
  const swapV2Client = createSwapV2Client({
    baseUrl: getSwapV2Url(config, options),
    ...(config.JUPITER_API_KEY ? { apiKey: config.JUPITER_API_KEY } : {}),
  });
  let analyzer: TokenAnalyzer | null = null;
  let trading: Trading | null = null;
  const publishOrderChange = createOrderChangePublisher({ publish: notify });
  let withdrawals: Withdrawals | null = null;
  let priceSampler: PriceSampler | null = null;
  let triggers: TriggerService | null = null;
  let telegram: Telegram | null = null;
  // Where the bot's links point: PUBLIC_URL, else the address listen() answers.
  let listeningUrl = `http://${config.HOST}:${config.PORT}`;
  let api: ZodApp;
  try {
    const allowList = chain && (await readAllowList(config, chain, options.pinnedMints));
    analyzer = chain && allowList && createAnalyzer(config, chain, swapClient, clock, allowList);
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
        swapApi: config.JUPITER_SWAP_API,
        swapV2: swapV2Client,
        settings: createUserSettingsService(store),
        // Order changes reach the event stream (final ones the user's webhook), then the automation
        // following the order's trigger.
        onOrderChange: async (userId, order) => {
          await publishOrderChange(userId, order);
          await automationRunner?.onOrderChange(order);
          await telegram?.onOrderChange(order.id);
        },
        ...options.orders,
      });
    withdrawals =
      chain &&
      createWithdrawals({
        store,
        sessions,
        chain,
        clock,
        logger,
        // Every status change reaches the user's event stream (and the caller's hook, if any).
        onWithdrawalChange: async (userId, withdrawal) => {
          await publishWithdrawalChange(userId, withdrawal);
          await options.onWithdrawalChange?.(userId, withdrawal);
        },
        ...options.withdrawals,
      });
    const cluster = getCluster(config, options.sandbox === true);
    const faucetChain = cluster === "sandbox" ? chain : null;
    const prices = createPriceBatch({ baseUrl: getPriceApiUrl(config, options) });
    priceSampler =
      chain &&
      createPriceSampler({
        prices,
        candles: store.candles,
        heldMints: () => store.positions.listHeldMints(),
        clock,
        intervalMs: config.PRICE_SAMPLE_MS,
        retentionMs: config.CANDLE_RETENTION_HOURS * 3_600_000,
        onError: (error) => logger.warn({ err: error }, "price sampling failed"),
      });
    const tokens =
      chain &&
      analyzer &&
      createTokenService({
        list: createTokenListClient({
          baseUrl: getTokensApiUrl(config, options),
          ...(config.JUPITER_API_KEY ? { apiKey: config.JUPITER_API_KEY } : {}),
          clock,
        }),
        rpc: chain.rpc,
        prices,
        verifiedMints: new Set((allowList ?? []).map((entry) => entry.mint)),
      });
    triggers =
      chain &&
      analyzer &&
      createTriggerService({
        store,
        analyzer,
        clock,
        grants,
        getUsdPrice: async (mint) => (await prices([mint])).get(mint) ?? null,
        getDecimals: async (mint) =>
          (await readMintFacts(chain.rpc, toKitAddress(mint))).mint.decimals,
        minDcaIntervalSeconds: config.TRIGGER_DCA_MIN_INTERVAL_SECONDS,
        // The event stream and the user's webhook.
        onTriggerChange: async (userId, trigger) => {
          await notify(userId, { type: "trigger", data: { ...trigger } });
          await telegram?.onTriggerChange(userId, trigger);
        },
        onError: (error) => logger.warn({ err: error }, "trigger event not published"),
      });
    automationRunner =
      trading &&
      analyzer &&
      chain &&
      triggers &&
      createAutomation({
        config,
        store,
        clock,
        logger,
        registry,
        grants,
        triggers,
        notify,
        engine: trading.engine,
        analyzer,
        chain,
        priceApiUrl: getPriceApiUrl(config, options),
      });
    const explorerUrl = getExplorerUrl(config, cluster);
    const userSettings = createUserSettingsService(store);
    telegram = config.TELEGRAM_BOT_TOKEN
      ? createTelegram({
          config,
          store,
          kv,
          clock,
          logger,
          accounts,
          sessions,
          settings: userSettings,
          engine: trading?.engine ?? null,
          analyzer,
          tokens: tokens || null,
          getPositions: positionsOf(store, swapClient, trading, chain),
          getBalances: chain && ((owner) => getWalletBalances(chain.rpc, toKitAddress(owner))),
          explorerUrl: explorerUrl
            ? (signature) => getTransactionUrl(explorerUrl, cluster, signature)
            : null,
          mevAvailable: chain?.landingRoutes.hasPrivate() ?? false,
          orderLimit: { limit: config.ORDER_RATE_LIMIT, windowMs: 60_000 },
          webUrl: () => config.PUBLIC_URL ?? listeningUrl,
          ...options.telegram,
        })
      : null;
    api = await createApiServer(
      { config, database, kv, registry, clock },
      {
        logger,
        routes: [
          createAccountRoutes({ accounts, requireAccess }),
          createMetaRoutes({
            requireAccess,
            meta: {
              cluster,
              faucet: faucetChain !== null,
              explorerUrl,
              feeBps: feeWallet ? config.FEE_BPS : 0,
              solMint: SOL_MINT,
              // A private landing route (JITO_URLS, SENDER_URLS, the embedded block engine).
              mevProtection: chain?.landingRoutes.hasPrivate() ?? false,
              automation: grants.enabled,
            },
          }),
          createFaucetRoutes({
            store,
            requireAccess,
            ...(faucetChain
              ? {
                  airdrop: (to, lamports) =>
                    requestAirdrop(
                      { rpc: faucetChain.rpc, poller: faucetChain.poller },
                      to,
                      lamports,
                    ),
                }
              : {}),
          }),
          ...(withdrawals
            ? [createWithdrawalRoutes({ withdrawals: withdrawals.service, store, requireAccess })]
            : []),
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
          createSettingsRoutes({ settings: userSettings, requireAccess }),
          createAutomationRoutes({ grants, store, requireAccess, clock }),
          createWebhookRoutes({ webhooks, requireAccess }),
          createTelegramRoutes({ telegram, accounts, sessions, store, requireAccess }),
          ...(telegram?.routes ?? []),
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
            // The sampler's ticks feed `watch=` (a test's own source when given).
            ...((options.priceTicks ?? priceSampler)
              ? { priceTicks: options.priceTicks ?? (priceSampler as PriceTicks) }
              : {}),
            ...options.eventStream,
          }),
          ...(analyzer ? [createSafetyRoutes({ analyzer, requireAccess })] : []),
          ...(tokens && priceSampler
            ? [createTokenRoutes({ tokens, sampler: priceSampler, requireAccess })]
            : []),
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
          ...(triggers ? [createTriggerRoutes({ triggers, requireAccess })] : []),
          createWebRoutes({ dir: options.webDir ?? WEB_BUNDLE_DIR }),
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
    swapV2Client,
    analyzer,
    trading,
    automationRunner,
    withdrawals,
    priceSampler,
    events,
    triggers,
    telegram,
    automation: { grants, webhooks, notify },
    api,
    async listen(port = config.PORT) {
      await trading?.start();
      await withdrawals?.start();
      automationRunner?.start();
      priceSampler?.start();
      webhookDeliverer.start();
      // `serve` prints the URL as its first line; Fastify's own "Server listening" would precede it.
      const level = api.log.level;
      if (["info", "debug", "trace"].includes(level)) api.log.level = "warn";
      try {
        await api.listen({ host: config.HOST, port });
      } finally {
        api.log.level = level;
      }
      const { address, port: bound } = api.server.address() as AddressInfo;
      const host = address.includes(":") ? `[${address}]` : address;
      listeningUrl = `http://${host}:${bound}`;
      // After listening: a webhook's deliveries need the route up.
      await telegram?.start();
      return listeningUrl;
    },
    close() {
      // Stop taking requests first, then release what in-flight requests were using.
      closed ??= (async () => {
        await telegram?.stop();
        await api.close();
        await priceSampler?.stop();
        // No new firing once the chain is going: claimed ones resume after a restart.
        await automationRunner?.stop();
        await webhookDeliverer.stop();
        chain?.close();
        // Landings in flight stop with LANDER_CLOSED; their orders stay SIGNED/SUBMITTED for the reconciler.
        await trading?.stop();
        await withdrawals?.stop();
        await Promise.allSettled([kv.close(), database.close(), events.close()]);
      })();
      return closed;
    },
  };
}
