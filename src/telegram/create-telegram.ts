import { createHmac } from "node:crypto";
import { autoRetry } from "@grammyjs/auto-retry";
import { apiThrottler } from "@grammyjs/transformer-throttler";
import { Bot, webhookCallback } from "grammy";
import type { AccountService } from "../accounts/account-service.js";
import type { RouteModule } from "../api/api-types.js";
import type { Config } from "../config/config-schema.js";
import type { Address } from "../core/addresses.js";
import type { Clock } from "../core/clock.js";
import type { UserId } from "../core/ids.js";
import type { Logger } from "../core/logger.js";
import type { KvStore } from "../kv/kv-store.js";
import { createRateLimiter, type RateLimit } from "../kv/rate-limiter.js";
import type { TokenAnalyzer } from "../safety/index.js";
import type { TelegramAccountRecord } from "../store/repositories/telegram-repository.js";
import type { Store } from "../store/store.js";
import type { TokenService } from "../tokens/token-service.js";
import type { OrderEngine } from "../trading/order-engine.js";
import type { WalletBalances } from "../wallet/get-wallet-balances.js";
import type { SessionManager } from "../wallet/session-types.js";
import { type ChatOrders, createChatOrders } from "./chat-orders.js";
import { type ChatSessionInfo, type ChatSessions, createChatSessions } from "./chat-sessions.js";
import { describeTelegramError } from "./describe-telegram-error.js";
import { createTelegramTokens } from "./one-time-tokens.js";
import type { MintLabel } from "./order-message.js";
import {
  installTelegramHandlers,
  type PositionView,
  type TelegramBotDeps,
} from "./telegram-bot.js";
import { createTelegramLinks, type TelegramLinks } from "./telegram-links.js";

/**
 * Telegram's limits on what a bot sends (core.telegram.org/bots/faq): about 30 messages a second
 * in all, one a second in a chat, 20 a minute in a group. Spaced, not windowed: a fixed window
 * refilled each second can put two windows' worth into one sliding second.
 */
export const TELEGRAM_THROTTLE = {
  global: { maxConcurrent: 25, minTime: 40 },
  out: { maxConcurrent: 1, minTime: 1_000 },
  group: { maxConcurrent: 1, minTime: 3_100 },
} as const;

const COMMANDS = [
  { command: "start", description: "Link this Telegram account" },
  { command: "unlock", description: "Open the web terminal to unlock a wallet" },
  { command: "wallet", description: "Balances and deposit address" },
  { command: "positions", description: "Holdings with P&L and sell buttons" },
  { command: "orders", description: "Your latest orders" },
  { command: "settings", description: "Slippage, buy presets, priority, MEV" },
  { command: "lock", description: "End this chat's trading session" },
  { command: "help", description: "What I can do" },
];

export interface TelegramOptions {
  readonly config: Pick<
    Config,
    "TELEGRAM_BOT_TOKEN" | "TELEGRAM_API_ROOT" | "TELEGRAM_WEBHOOK_URL"
  >;
  readonly store: Store;
  readonly kv: KvStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly accounts: AccountService;
  readonly sessions: SessionManager;
  readonly settings: TelegramBotDeps["settings"];
  readonly engine: OrderEngine | null;
  readonly analyzer: TokenAnalyzer | null;
  readonly tokens: TokenService | null;
  readonly getPositions: ((userId: UserId) => Promise<PositionView[]>) | null;
  readonly getBalances: ((owner: Address) => Promise<WalletBalances>) | null;
  readonly explorerUrl: ((signature: string) => string) | null;
  readonly mevAvailable: boolean;
  /** Orders a user may place from chats per window (as the API's POST /v1/orders). */
  readonly orderLimit: RateLimit;
  /** The terminal's base URL for links (PUBLIC_URL, else the address the server listens on). */
  readonly webUrl: () => string;
  /** Updates one Telegram user may send per window (default UPDATES_PER_USER; tests). */
  readonly updatesPerUser?: RateLimit;
  /** Called when a chat order's placement ends (benchmarks). */
  readonly onPlaced?: (idempotencyKey: string, error: unknown) => void;
}

export interface Telegram {
  readonly bot: Bot;
  readonly links: TelegramLinks;
  readonly chatSessions: ChatSessions;
  readonly chatOrders: ChatOrders | null;
  /** The bot's @username once it has started (for t.me links); null before. */
  botUsername(): string | null;
  /** The webhook's route when TELEGRAM_WEBHOOK_URL is set. */
  readonly routes: RouteModule[];
  /** Tells the chat that a session was handed to it from the terminal. */
  announceSession(account: TelegramAccountRecord, held: ChatSessionInfo): Promise<void>;
  /** An order's status changed (the order engine's hook): its chat message follows. */
  onOrderChange(orderId: string): Promise<void>;
  onTriggerChange(
    userId: string,
    trigger: { id: string; type: string; mint: string; status: string; reason: string | null },
  ): Promise<void>;
  /** Asks Telegram who the bot is, sets its commands, then polls or sets the webhook. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The secret Telegram sends back in each webhook delivery's header: derived, so every instance agrees. */
export function getWebhookSecret(botToken: string): string {
  return createHmac("sha256", botToken).update("osprey telegram webhook").digest("base64url");
}

/** The Telegram bot over the same services as the API (src/telegram/README.md). */
export function createTelegram(options: TelegramOptions): Telegram {
  const { config, store, kv, clock, logger } = options;
  const token = config.TELEGRAM_BOT_TOKEN;
  if (!token) throw new Error("createTelegram needs TELEGRAM_BOT_TOKEN");
  const bot = new Bot(token, {
    client: { ...(config.TELEGRAM_API_ROOT ? { apiRoot: config.TELEGRAM_API_ROOT } : {}) },
  });
  // Flood control answered with 429 is waited out and retried (a few times, at most a minute).
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 60 }));
  bot.api.config.use(apiThrottler(TELEGRAM_THROTTLE));

  const rateLimiter = createRateLimiter(kv);
  const tokens = createTelegramTokens({ telegram: store.telegram, clock });
  const links = createTelegramLinks({ store, accounts: options.accounts, tokens });
  const chatSessions = createChatSessions({ kv, botToken: token, clock });
  const labels = new Map<string, MintLabel>();
  const labelOf = async (mint: string): Promise<MintLabel> => {
    const known = labels.get(mint);
    if (known) return known;
    const found = await options.tokens?.getToken(mint).catch(() => null);
    const label = { symbol: found?.symbol || null, decimals: found?.decimals ?? null };
    if (found) {
      if (labels.size >= 1_000) labels.delete(labels.keys().next().value as string);
      labels.set(mint, label);
    }
    return label;
  };
  const chatOrders =
    options.engine &&
    createChatOrders({
      api: bot.api,
      store,
      kv,
      engine: options.engine,
      chatSessions,
      sessions: options.sessions,
      rateLimiter,
      orderLimit: options.orderLimit,
      labelOf,
      explorerUrl: options.explorerUrl,
      logger,
      ...(options.onPlaced ? { onPlaced: options.onPlaced } : {}),
    });

  // A handler's failure is logged (never the update's text: it may hold what a user typed).
  const reportFailure = (error: unknown, ctx: { update: { update_id: number } }) =>
    logger.warn(
      { error: describeTelegramError(error), updateId: ctx.update.update_id },
      "telegram update failed",
    );
  const queue = installTelegramHandlers(
    bot,
    {
      store,
      links,
      chatSessions,
      sessions: options.sessions,
      rateLimiter,
      ...(options.updatesPerUser ? { updatesPerUser: options.updatesPerUser } : {}),
      settings: options.settings,
      orders: chatOrders,
      analyzer: options.analyzer,
      tokens: options.tokens,
      labelOf,
      getPositions: options.getPositions,
      getBalances: options.getBalances,
      webUrl: options.webUrl,
      mevAvailable: options.mevAvailable,
      clock,
      logger,
    },
    reportFailure,
  );
  bot.catch((error) => reportFailure(error.error, error.ctx));

  const webhookUrl = config.TELEGRAM_WEBHOOK_URL;
  const secret = getWebhookSecret(token);
  const routes: RouteModule[] = webhookUrl
    ? [
        (app) => {
          const handle = webhookCallback(bot, "fastify", {
            secretToken: secret,
            onTimeout: "return",
          });
          app.post(new URL(webhookUrl).pathname, { schema: { hide: true } }, handle);
        },
      ]
    : [];

  let polling: Promise<void> | null = null;
  return {
    bot,
    links,
    chatSessions,
    chatOrders,
    botUsername: () => (bot.isInited() ? bot.botInfo.username : null),
    routes,
    async announceSession(account, held) {
      const until = new Date(held.expiresAt).toISOString().replace("T", " ").slice(0, 16);
      await bot.api
        .sendMessage(
          account.chatId,
          `🔓 Wallet <code>${held.publicKey}</code> is unlocked for this chat until ${until} UTC (sooner if idle, or when you lock it in the terminal or with /lock). Paste a token to trade.`,
          { parse_mode: "HTML" },
        )
        .catch((error: unknown) =>
          logger.warn({ error: describeTelegramError(error) }, "telegram: unlock message not sent"),
        );
    },
    async onOrderChange(orderId) {
      await chatOrders
        ?.onOrderChange(orderId)
        .catch((error: unknown) =>
          logger.warn({ error: describeTelegramError(error) }, "telegram: order message not sent"),
        );
    },
    async onTriggerChange(userId, trigger) {
      await chatOrders
        ?.onTriggerChange(userId, trigger)
        .catch((error: unknown) =>
          logger.warn(
            { error: describeTelegramError(error) },
            "telegram: trigger message not sent",
          ),
        );
    },
    async start() {
      await bot.init();
      await bot.api.setMyCommands(COMMANDS);
      if (webhookUrl) {
        await bot.api.setWebhook(webhookUrl, { secret_token: secret });
        return;
      }
      // Long polling: a webhook left from an earlier run would make getUpdates fail.
      await bot.api.deleteWebhook();
      polling = bot.start({ onStart: () => undefined }).catch((error: unknown) => {
        logger.error({ error: describeTelegramError(error) }, "telegram: polling stopped");
      });
    },
    async stop() {
      if (polling) {
        await bot.stop();
        await polling;
      }
      await queue.settle();
      await chatOrders?.settle();
    },
  };
}
