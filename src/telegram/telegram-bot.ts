import type { Bot, Context } from "grammy";
import type { UserSettings } from "../accounts/user-settings.js";
import { type Address, isAddress } from "../core/addresses.js";
import { formatUnits, formatUsd, parseDecimalUnits } from "../core/amounts.js";
import type { UserId } from "../core/ids.js";
import type { Logger } from "../core/logger.js";
import { isOspreyError, OspreyError } from "../core/osprey-error.js";
import type { RateLimit, RateLimiter } from "../kv/rate-limiter.js";
import type { TokenAnalyzer } from "../safety/index.js";
import type { TelegramAccountRecord } from "../store/repositories/telegram-repository.js";
import type { Store } from "../store/store.js";
import type { TokenService } from "../tokens/token-service.js";
import type { WalletBalances } from "../wallet/get-wallet-balances.js";
import type { SessionManager } from "../wallet/session-types.js";
import { type ButtonAction, decodeButton, encodeButton } from "./callback-data.js";
import { CHAT_KEY_PREFIX, type ChatOrders } from "./chat-orders.js";
import type { ChatSessions } from "./chat-sessions.js";
import { describeTelegramError } from "./describe-telegram-error.js";
import type { MintLabel } from "./order-message.js";
import { createPerChatQueue } from "./per-chat-queue.js";
import { findPastedSecret } from "./secret-detector.js";
import type { TelegramLinks } from "./telegram-links.js";
import {
  type CardButton,
  escapeHtml,
  formatSol,
  renderBuyConfirmation,
  renderTokenCard,
} from "./token-card.js";

/** A card's buttons act for this long; an older card asks for a fresh one. */
export const CARD_MAX_AGE_MS = 15 * 60_000;
const MAX_POSITION_CARDS = 10;
/** Updates (messages, presses) one Telegram user may send; beyond it they are dropped. */
export const UPDATES_PER_USER = { limit: 30, windowMs: 10_000 } as const;
const HELP = [
  "<b>Osprey</b> — paste a token's mint address or symbol to see its card and buy.",
  "/unlock — open the web terminal (one-time link) to unlock a wallet for this chat",
  "/wallet — balances and deposit address",
  "/positions — holdings with P&amp;L and sell buttons",
  "/orders — your latest orders",
  "/settings — slippage, buy presets, priority, MEV protection",
  "/lock — end the trading session this chat uses",
  "Never send a secret key or recovery phrase here: the bot deletes it.",
].join("\n");

export interface TelegramBotDeps {
  readonly store: Store;
  readonly links: TelegramLinks;
  readonly chatSessions: ChatSessions;
  readonly sessions: SessionManager;
  readonly rateLimiter: RateLimiter;
  /** Default UPDATES_PER_USER. */
  readonly updatesPerUser?: RateLimit;
  readonly settings: {
    get(userId: UserId): Promise<UserSettings>;
    replace(userId: UserId, input: unknown): Promise<UserSettings>;
  };
  /** Null without a chain: trading answers that it is unavailable. */
  readonly orders: ChatOrders | null;
  readonly analyzer: TokenAnalyzer | null;
  readonly tokens: TokenService | null;
  /** A mint's symbol and decimals, remembered once read (the card reads it first). */
  readonly labelOf: (mint: string) => Promise<MintLabel>;
  readonly getPositions: ((userId: UserId) => Promise<PositionView[]>) | null;
  readonly getBalances: ((owner: Address) => Promise<WalletBalances>) | null;
  /** The terminal's base URL for the one-time links (PUBLIC_URL, else where it listens). */
  readonly webUrl: () => string;
  readonly mevAvailable: boolean;
  readonly clock: { now(): number };
  readonly logger: Logger;
}

/** What a position message shows (GET /v1/positions' fields it needs). */
export interface PositionView {
  readonly walletId: string;
  readonly mint: string;
  readonly amount: string;
  readonly decimals: number | null;
  readonly valueLamports: string | null;
  readonly costLamports: string;
  readonly unrealizedPnlLamports: string | null;
  readonly unrealizedPnlUsd: string | null;
}

const html = { parse_mode: "HTML" as const };
type Button = CardButton | { readonly text: string; readonly url: string };
const keyboard = (rows: Button[][]) => ({ reply_markup: { inline_keyboard: rows } });

/** The mint a message's buttons act on: the first `code` entity that is an address. */
export function mintOfMessage(message: {
  text?: string;
  entities?: readonly { type: string; offset: number; length: number }[];
}): string | null {
  for (const entity of message.entities ?? []) {
    if (entity.type !== "code") continue;
    const text = message.text?.slice(entity.offset, entity.offset + entity.length) ?? "";
    if (isAddress(text)) return text;
  }
  return null;
}

/** The bot's commands, messages and buttons, on a grammY bot. */
export function installTelegramHandlers(
  bot: Bot,
  deps: TelegramBotDeps,
  onError: (error: unknown, ctx: Context) => void,
): { settle(): Promise<void> } {
  const { store, logger } = deps;
  const overLimit = new WeakSet<object>();
  bot.use(async (ctx, next) => {
    const from = ctx.from?.id;
    if (from !== undefined)
      await deps.rateLimiter
        .hit(`telegram-updates:${from}`, deps.updatesPerUser ?? UPDATES_PER_USER)
        .catch((error: unknown) => {
          if (!isOspreyError(error, "RATE_LIMITED")) throw error;
          overLimit.add(ctx.update);
        });
    return next();
  });
  // Every chat at once, each in order; a press is not held behind its chat's messages.
  const queue = createPerChatQueue(onError, (ctx) =>
    ctx.callbackQuery ? `press:${ctx.callbackQuery.id}` : String(ctx.chat?.id ?? ctx.from?.id),
  );
  bot.use(queue.middleware);

  async function accountOf(ctx: Context): Promise<TelegramAccountRecord | null> {
    const from = ctx.from;
    if (!from) return null;
    return (await store.telegram.findAccount(String(from.id))) ?? null;
  }

  /** The linked account, or a reply saying how to link and null. */
  async function requireAccount(ctx: Context): Promise<TelegramAccountRecord | null> {
    const account = await accountOf(ctx);
    if (!account)
      await ctx.reply(
        "This Telegram account is not linked yet: send /start in a private chat with me.",
      );
    return account;
  }

  function explain(error: unknown): string {
    if (isOspreyError(error)) return error.message;
    logger.warn({ error: describeTelegramError(error) }, "telegram: handler failed");
    return "Something went wrong on the server. Nothing was changed; try again.";
  }

  // A pasted secret is deleted before anything else looks at the message: in a text, a
  // caption, or an edit that put it there afterwards.
  bot.on(
    ["message:text", "message:caption", "edited_message:text", "edited_message:caption"],
    async (ctx, next) => {
      const kind = findPastedSecret(ctx.msg.text ?? ctx.msg.caption ?? "");
      if (!kind) return next();
      const what = kind === "seed_phrase" ? "a recovery phrase" : "a secret key";
      await ctx
        .deleteMessage()
        .catch((error: unknown) =>
          logger.warn(
            { error: describeTelegramError(error) },
            "telegram: a pasted secret could not be deleted",
          ),
        );
      await ctx.reply(
        `⚠️ That looked like ${what}, so I deleted it. Never send secrets in a chat: anyone with it owns the wallet. Import and export wallets in the web terminal (/unlock gives a link). If this key holds funds, move them to a new wallet now.`,
      );
    },
  );

  // Past a user's allowance (counted as updates arrive) an update is dropped, once a pasted
  // secret in it is deleted: one user's flood does not fill the bot's sends for everyone.
  bot.use(async (ctx, next) => {
    if (!overLimit.has(ctx.update)) return next();
    if (ctx.callbackQuery)
      await ctx.answerCallbackQuery({
        text: "Slow down: too many requests. Try again in a few seconds.",
      });
  });

  bot.command("start", async (ctx) => {
    if (ctx.chat.type !== "private") {
      await ctx.reply("Send /start to me in a private chat to link your account.");
      return;
    }
    const payload = ctx.match.trim();
    try {
      const outcome = await deps.links.start(
        {
          telegramUserId: String(ctx.from?.id),
          chatId: String(ctx.chat.id),
          username: ctx.from?.username ?? null,
        },
        payload === "" ? null : payload,
      );
      const intro =
        outcome.kind === "created"
          ? "Welcome to Osprey. I made you an account."
          : outcome.kind === "linked"
            ? "Linked: this chat now trades for your Osprey account."
            : "Welcome back.";
      await ctx.reply(
        `${intro}\nNext: /unlock opens the web terminal, where you create or import a wallet and unlock it for this chat. Then paste a token's address to trade.\n\n${HELP}`,
        html,
      );
    } catch (error) {
      await ctx.reply(
        isOspreyError(error, "TELEGRAM_TOKEN_INVALID")
          ? "That link code is not valid: it may have expired or been used. Make a new one in the web terminal (Settings → Telegram)."
          : isOspreyError(error, "TELEGRAM_ALREADY_LINKED")
            ? "This Telegram account is already linked to an Osprey user (one account each). Unlink it in the web terminal's settings first."
            : explain(error),
      );
    }
  });

  bot.command("help", (ctx) => ctx.reply(HELP, html));

  bot.command("unlock", async (ctx) => {
    const account = await requireAccount(ctx);
    if (!account) return;
    if (ctx.chat.type !== "private") {
      await ctx.reply("I send unlock links only in our private chat.");
      return;
    }
    const { token, expiresAt } = await deps.links.issueWebLink(account);
    const url = `${deps.webUrl().replace(/\/+$/, "")}/#/telegram/${token}`;
    const minutes = Math.round((expiresAt - deps.clock.now()) / 60_000);
    // Telegram takes URL buttons for public https addresses only; the link is in the text too.
    await ctx.reply(
      `Open the web terminal with this link (it works once, for ${minutes} minutes; do not share it):\n${escapeHtml(url)}\n\nCreate or import a wallet there if you have none, then unlock it: the session becomes usable from this chat.`,
      {
        ...html,
        link_preview_options: { is_disabled: true },
        ...(url.startsWith("https://") ? keyboard([[{ text: "Open Osprey", url }]]) : {}),
      },
    );
  });

  bot.command("lock", async (ctx) => {
    const account = await requireAccount(ctx);
    if (!account) return;
    const held = await deps.chatSessions.get(account.userId);
    if (!held) {
      await ctx.reply("No trading session is unlocked for this chat.");
      return;
    }
    await deps.sessions.revoke(held.token, account.userId);
    await deps.chatSessions.release(account.userId);
    await ctx.reply("Locked: the trading session has ended. /unlock to open a new one.");
  });

  bot.command("wallet", async (ctx) => {
    const account = await requireAccount(ctx);
    if (!account) return;
    const wallets = (await store.wallets.listForUser(account.userId)).filter((w) => w.active);
    if (wallets.length === 0) {
      await ctx.reply(
        "You have no wallet yet: /unlock opens the web terminal, where you create or import one.",
      );
      return;
    }
    const held = await deps.chatSessions.info(account.userId);
    const lines: string[] = [];
    for (const wallet of wallets) {
      const balances = deps.getBalances
        ? await deps.getBalances(wallet.publicKey as Address).catch(() => null)
        : null;
      lines.push(
        `<b>${escapeHtml(wallet.label || "Wallet")}</b>${held?.walletId === wallet.id ? " — 🔓 unlocked for this chat" : ""}`,
        `Deposit address: <code>${wallet.publicKey}</code>`,
        balances
          ? `Balance: ${formatSol(balances.solLamports)}, ${balances.tokens.length} token(s)`
          : "Balance: unavailable",
        "",
      );
    }
    if (!held) lines.push("No wallet is unlocked for this chat: /unlock.");
    await ctx.reply(lines.join("\n").trim(), html);
  });

  bot.command("orders", async (ctx) => {
    const account = await requireAccount(ctx);
    if (!account) return;
    const orders = await store.orders.listForUser(account.userId, { limit: 10 });
    if (orders.length === 0) {
      await ctx.reply("No orders yet.");
      return;
    }
    const lines = orders.map(
      (order) =>
        `${order.status === "CONFIRMED" ? "✅" : order.status === "FAILED" || order.status === "REJECTED" || order.status === "EXPIRED" ? "❌" : "⏳"} ${order.side} ${order.side === "buy" ? formatSol(order.amountIn) : `${order.amountIn} units`} · ${order.status} · <code>${order.mint}</code>`,
    );
    await ctx.reply(`<b>Latest orders</b>\n${lines.join("\n")}`, html);
  });

  bot.command("positions", async (ctx) => {
    const account = await requireAccount(ctx);
    if (!account) return;
    if (!deps.getPositions) {
      await ctx.reply("Trading is not available on this server (no chain configured).");
      return;
    }
    const positions = (await deps.getPositions(account.userId)).filter((p) => p.amount !== "0");
    if (positions.length === 0) {
      await ctx.reply("No open positions.");
      return;
    }
    for (const position of positions.slice(0, MAX_POSITION_CARDS))
      await ctx.reply(renderPosition(position), {
        ...html,
        ...keyboard(sellButtons(ctx.from?.id ?? 0)),
      });
    if (positions.length > MAX_POSITION_CARDS)
      await ctx.reply(`…and ${positions.length - MAX_POSITION_CARDS} more (see the web terminal).`);
  });

  bot.command("settings", async (ctx) => {
    const account = await requireAccount(ctx);
    if (!account) return;
    const [field, ...rest] = ctx.match.trim().split(/\s+/).filter(Boolean);
    const current = await deps.settings.get(account.userId);
    if (field === undefined) {
      await ctx.reply(renderSettings(current, deps.mevAvailable), html);
      return;
    }
    const changed = changeSetting(current, field.toLowerCase(), rest);
    if (typeof changed === "string") {
      await ctx.reply(`${changed}\n\n${SETTINGS_USAGE}`, html);
      return;
    }
    try {
      const saved = await deps.settings.replace(account.userId, changed);
      await ctx.reply(`Saved.\n${renderSettings(saved, deps.mevAvailable)}`, html);
    } catch (error) {
      await ctx.reply(explain(error));
    }
  });

  // A reply to "Buy X SOL": the amount, for the mint named in the prompt.
  bot.on("message:text", async (ctx, next) => {
    const prompt = ctx.message.reply_to_message;
    if (!prompt || prompt.from?.id !== ctx.me.id) return next();
    const mint = mintOfMessage(prompt);
    if (!mint || !prompt.text?.startsWith("How much SOL")) return next();
    const account = await requireAccount(ctx);
    if (!account) return;
    const lamports = parseDecimalUnits(ctx.message.text, 9);
    if (lamports === null) {
      await ctx.reply(
        "That is not an amount of SOL: reply to the question with a number such as 0.25.",
      );
      return;
    }
    await buy(ctx, account, mint, lamports, false, ctx.message.message_id);
  });

  bot.on("message:text", async (ctx) => {
    const text = ctx.message.text.trim();
    // In a group, only what is meant for this bot: token addresses and its commands.
    if (ctx.chat.type !== "private" && !isAddress(text)) return;
    if (text.startsWith("/")) {
      await ctx.reply("I don't know that command. /help lists what I can do.");
      return;
    }
    const account = await requireAccount(ctx);
    if (!account) return;
    if (!deps.analyzer) {
      await ctx.reply("Trading is not available on this server (no chain configured).");
      return;
    }
    const mint = await findMint(text);
    if (mint === "not_a_query") {
      await ctx.reply(
        "I didn't understand that. Paste a token's mint address or its symbol (like BONK), or see /help.",
      );
      return;
    }
    if (mint === null) {
      await ctx.reply(`No token found for “${text.slice(0, 64)}”. Check the address or symbol.`);
      return;
    }
    await ctx.replyWithChatAction("typing").catch(() => undefined);
    const card = await tokenCard(mint, ctx.from.id, account.userId);
    await ctx.reply(card.text, { ...html, ...keyboard(card.keyboard) });
  });

  bot.on("callback_query:data", async (ctx) => {
    const action = decodeButton(ctx.callbackQuery.data);
    const message = ctx.callbackQuery.message;
    if (!action || !message || !("text" in message)) {
      await ctx.answerCallbackQuery({
        text: "This button is out of date: send the token again for a fresh card.",
        show_alert: true,
      });
      return;
    }
    if (action.owner !== ctx.from.id) {
      await ctx.answerCallbackQuery({
        text: "This button belongs to someone else's card. Send the token yourself to get yours.",
        show_alert: true,
      });
      return;
    }
    const account = await accountOf(ctx);
    if (!account) {
      await ctx.answerCallbackQuery({
        text: "Link your account first: send /start in a private chat with me.",
        show_alert: true,
      });
      return;
    }
    const mint = mintOfMessage(message);
    const tooOld = deps.clock.now() - message.date * 1000 > CARD_MAX_AGE_MS;
    if (!mint || (tooOld && action.kind !== "refresh")) {
      await ctx.answerCallbackQuery({
        text: "This card is out of date: send the token again (or press ↻ Refresh) for fresh prices.",
        show_alert: true,
      });
      return;
    }
    try {
      await press(ctx, account, action, mint, message.message_id);
    } catch (error) {
      await ctx
        .answerCallbackQuery({ text: explain(error).slice(0, 190), show_alert: true })
        .catch(() => undefined);
    }
  });

  async function press(
    ctx: Context,
    account: TelegramAccountRecord,
    action: ButtonAction,
    mint: string,
    messageId: number,
  ): Promise<void> {
    const owner = action.owner;
    switch (action.kind) {
      case "refresh": {
        await ctx.answerCallbackQuery({ text: "Fresh card below." });
        // The old card's buttons go: only the new card acts.
        await ctx
          .editMessageReplyMarkup({ reply_markup: { inline_keyboard: [] } })
          .catch(() => undefined);
        const card = await tokenCard(mint, owner, account.userId);
        await ctx.reply(card.text, { ...html, ...keyboard(card.keyboard) });
        return;
      }
      case "buy_custom": {
        await ctx.answerCallbackQuery();
        await ctx.reply(
          `How much SOL? Reply to this message with an amount, e.g. 0.25.\n<code>${mint}</code>`,
          {
            ...html,
            reply_markup: { force_reply: true, selective: true, input_field_placeholder: "0.25" },
          },
        );
        return;
      }
      case "buy":
      case "buy_confirmed":
        return buy(
          ctx,
          account,
          mint,
          action.lamports,
          action.kind === "buy_confirmed",
          messageId,
          encodeButton(action),
        );
      case "sell":
        return sell(ctx, account, mint, action.percent, messageId, encodeButton(action));
    }
  }

  /** A buy from a button or a typed amount; a `warn` token asks to confirm first. */
  async function buy(
    ctx: Context,
    account: TelegramAccountRecord,
    mint: string,
    lamports: bigint,
    confirmed: boolean,
    messageId: number,
    data = `typed.${lamports}`,
  ): Promise<void> {
    const answer = (text: string, alert = false) =>
      ctx.callbackQuery ? ctx.answerCallbackQuery({ text, show_alert: alert }) : ctx.reply(text);
    if (!deps.orders || !deps.analyzer) {
      await answer("Trading is not available on this server (no chain configured).", true);
      return;
    }
    if (!confirmed) {
      // As the order engine asks it (what can freeze or drain a holder read now, the slower
      // facts reused while they reload): its own analysis then costs nothing more.
      const report = await deps.analyzer.analyzeToken(mint, { freshMint: true });
      if (report.verdict === "block") {
        await answer("This token is blocked by the safety checks: it cannot be bought here.", true);
        return;
      }
      if (report.verdict === "warn") {
        if (ctx.callbackQuery) await ctx.answerCallbackQuery();
        const card = renderBuyConfirmation(report, lamports, ctx.from?.id ?? 0);
        await ctx.reply(card.text, { ...html, ...keyboard(card.keyboard) });
        return;
      }
    }
    const symbol = (await deps.labelOf(mint)).symbol ?? "token";
    await place(ctx, account, {
      messageId,
      data,
      body: { side: "buy", mint, amountLamports: lamports.toString(), acceptRisk: confirmed },
      title: `Buy ${formatSol(lamports)} of ${symbol}`,
      answer,
    });
  }

  async function sell(
    ctx: Context,
    account: TelegramAccountRecord,
    mint: string,
    percent: number,
    messageId: number,
    data: string,
  ): Promise<void> {
    const answer = (text: string, alert = false) =>
      ctx.answerCallbackQuery({ text, show_alert: alert });
    if (!deps.orders) {
      await answer("Trading is not available on this server (no chain configured).", true);
      return;
    }
    const symbol = (await deps.labelOf(mint)).symbol ?? "token";
    await place(ctx, account, {
      messageId,
      data,
      body: { side: "sell", mint, percent },
      title: `Sell ${percent}% of ${symbol}`,
      answer,
    });
  }

  async function place(
    ctx: Context,
    account: TelegramAccountRecord,
    input: {
      messageId: number;
      data: string;
      body: Record<string, unknown>;
      title: string;
      answer: (text: string, alert?: boolean) => Promise<unknown>;
    },
  ): Promise<void> {
    const chatId = ctx.chat?.id ?? Number(account.chatId);
    const outcome = await (deps.orders as ChatOrders).placeFromChat({
      userId: account.userId,
      chatId,
      replyTo: input.messageId,
      idempotencyKey: `${CHAT_KEY_PREFIX}${chatId}:${input.messageId}:${input.data}`,
      body: input.body,
      title: input.title,
    });
    if (outcome.kind === "locked")
      await input.answer(
        "No wallet is unlocked for this chat: send /unlock, unlock a wallet in the web terminal, then press again.",
        true,
      );
    else if (outcome.kind === "duplicate")
      await input.answer(
        "Already placed: this button places one order. Its progress is in the message below the card.",
      );
    else if (ctx.callbackQuery) await input.answer(`${input.title}: placing…`);
  }

  async function findMint(text: string): Promise<string | null | "not_a_query"> {
    if (isAddress(text)) {
      if (!deps.tokens) return text;
      return deps.tokens.getToken(text).then(
        (token) => token.mint,
        (error: unknown) => {
          if (isOspreyError(error, "TOKEN_NOT_FOUND")) return null;
          throw error;
        },
      );
    }
    const symbol = /^\$?([A-Za-z0-9]{1,12})$/.exec(text)?.[1];
    if (!symbol || !deps.tokens) return "not_a_query";
    const found = await deps.tokens.search(symbol);
    const exact = found.find((token) => token.symbol.toUpperCase() === symbol.toUpperCase());
    return exact?.mint ?? null;
  }

  async function tokenCard(mint: string, owner: number, userId: UserId) {
    if (!deps.analyzer)
      throw new OspreyError(
        "RPC_UNAVAILABLE",
        "Trading is not available on this server (no chain configured).",
      );
    const [report, token, settings] = await Promise.all([
      deps.analyzer.analyzeToken(mint),
      deps.tokens?.getToken(mint).catch(() => null) ?? null,
      deps.settings.get(userId),
      // Remembered now, so a press on this card has its name without a round trip.
      deps.labelOf(mint),
    ]);
    return renderTokenCard({
      report,
      priceUsd: token?.priceUsd ?? null,
      liquidityUsd: token?.liquidityUsd ?? null,
      buyPresetsLamports: settings.buyPresetsLamports.map((value) => BigInt(value)),
      owner,
    });
  }
  return queue;
}

function sellButtons(owner: number): CardButton[][] {
  return [
    [25, 50, 100].map((percent) => ({
      text: `Sell ${percent}%`,
      callback_data: encodeButton({ kind: "sell", percent, owner }),
    })),
  ];
}

function renderPosition(position: PositionView): string {
  const amount =
    position.decimals === null
      ? `${position.amount} units`
      : formatUnits(BigInt(position.amount), position.decimals);
  const pnl =
    position.unrealizedPnlLamports === null
      ? "P&amp;L unknown (no price)"
      : `P&amp;L ${BigInt(position.unrealizedPnlLamports) >= 0n ? "+" : ""}${formatSol(BigInt(position.unrealizedPnlLamports))}${position.unrealizedPnlUsd === null ? "" : ` (${formatUsd(position.unrealizedPnlUsd)})`}`;
  return [
    `<b>${amount}</b> tokens`,
    `<code>${position.mint}</code>`,
    `Cost ${formatSol(BigInt(position.costLamports))} · value ${position.valueLamports === null ? "unknown" : formatSol(BigInt(position.valueLamports))}`,
    pnl,
  ].join("\n");
}

const SETTINGS_USAGE = [
  "Change one with:",
  "/settings slippage 1.5 — percent, 0.01 to 50",
  "/settings presets 0.1 0.5 1 — buy buttons in SOL (1 to 6)",
  "/settings priority none|low|medium|high|veryHigh",
  "/settings mev on|off",
].join("\n");

function renderSettings(settings: UserSettings, mevAvailable: boolean): string {
  return [
    "<b>Settings</b>",
    `Slippage: ${settings.slippageBps / 100}%`,
    `Buy buttons: ${settings.buyPresetsLamports.map((lamports) => formatSol(BigInt(lamports))).join(", ")}`,
    `Priority fee: ${settings.priorityLevel} (at most ${formatSol(BigInt(settings.maxPriorityFeeLamports))})`,
    `MEV protection: ${settings.mevProtection ? "on" : "off"}${mevAvailable ? "" : " (no private landing route on this server)"}`,
    "",
    SETTINGS_USAGE,
  ].join("\n");
}

/** The settings with one field changed, or why the input is not valid. */
function changeSetting(
  current: UserSettings,
  field: string,
  args: string[],
): UserSettings | string {
  switch (field) {
    case "slippage": {
      const bps =
        args.length === 1 ? parseDecimalUnits((args[0] ?? "").replace(/%$/, ""), 2) : null;
      if (bps === null) return "Slippage is one percentage, such as 1.5.";
      return { ...current, slippageBps: Number(bps) };
    }
    case "presets": {
      const lamports = args.map((arg) => parseDecimalUnits(arg, 9));
      if (lamports.length === 0 || lamports.some((value) => value === null))
        return "Presets are amounts of SOL, such as 0.1 0.5 1.";
      return { ...current, buyPresetsLamports: lamports.map((value) => String(value)) };
    }
    case "priority":
      return { ...current, priorityLevel: (args[0] ?? "") as UserSettings["priorityLevel"] };
    case "mev":
      if (args[0] !== "on" && args[0] !== "off") return "MEV protection is on or off.";
      return { ...current, mevProtection: args[0] === "on" };
    default:
      return `There is no setting “${escapeHtml(field.slice(0, 32))}”.`;
  }
}
