import type { UserId } from "../core/ids.js";
import type { Logger } from "../core/logger.js";
import { isTerminalOrderStatus } from "../core/order-status.js";
import { isOspreyError } from "../core/osprey-error.js";
import type { RESERVED_ORDER_KEYS } from "../core/reserved-keys.js";
import type { KvStore } from "../kv/kv-store.js";
import type { RateLimit, RateLimiter } from "../kv/rate-limiter.js";
import type { OrderRecord } from "../store/repositories/orders-repository.js";
import type { Store } from "../store/store.js";
import type { OrderEngine } from "../trading/order-engine.js";
import type { SessionManager } from "../wallet/session-types.js";
import type { ChatSessions } from "./chat-sessions.js";
import { describeTelegramError } from "./describe-telegram-error.js";
import { type MintLabel, renderOrderMessage } from "./order-message.js";
import { escapeHtml } from "./token-card.js";

/** The Bot API calls this part makes (grammY's `bot.api`, or any client of the same methods). */
export interface ChatApi {
  sendMessage(
    chatId: number | string,
    text: string,
    other?: { parse_mode?: "HTML"; reply_parameters?: { message_id: number } },
  ): Promise<{ message_id: number }>;
  editMessageText(
    chatId: number | string,
    messageId: number,
    text: string,
    other?: { parse_mode?: "HTML" },
  ): Promise<unknown>;
}

/** Press claims and status-message links live this long (a day: far past any order's end). */
const KEEP_MS = 24 * 3_600_000;
/** A press's claim that wrote no order in this long was left by a process that died. */
const STALE_CLAIM_MS = 60_000;
/** Idempotency keys of orders placed from a chat: `tg:<chat>:<message>:<button data>`. */
export const CHAT_KEY_PREFIX = "tg:" satisfies keyof typeof RESERVED_ORDER_KEYS;

export interface ChatOrderInput {
  readonly userId: UserId;
  readonly chatId: number;
  /** The message the press came from: the status message answers it. */
  readonly replyTo: number;
  /** `tg:<chat>:<message>:<action>`: a second press of the same button is the same order. */
  readonly idempotencyKey: string;
  readonly body: Record<string, unknown>;
  /** The first line shown while the order is placed ("Buy 0.1 SOL of BONK"). */
  readonly title: string;
}

export type ChatOrderOutcome =
  /** The order is being placed; its message follows it. */
  | { readonly kind: "placing" }
  /** This button already placed its order (a double tap): nothing new. */
  | { readonly kind: "duplicate" }
  /** No trading session is held for the chat (unlock in the terminal first). */
  | { readonly kind: "locked" };

const TRIGGER_EVENTS: Record<string, string> = {
  FIRED: "🎯 Standing order fired",
  FAILED: "❌ Standing order failed",
  PAUSED: "⏸ Standing order paused",
  CANCELLED: "🚫 Standing order cancelled",
  EXPIRED: "⌛ Standing order expired",
};

/**
 * Orders placed from a chat and what the chat hears of orders and standing orders: a press
 * claims its button once, a status message answers it and is edited in place as the order moves
 * (every instance can edit it: the link is in the kv store), and orders placed elsewhere (the
 * terminal, a standing order) and trigger events are announced to the user's linked chat.
 */
export function createChatOrders(deps: {
  readonly api: ChatApi;
  readonly store: Store;
  readonly kv: KvStore;
  readonly engine: OrderEngine;
  readonly chatSessions: ChatSessions;
  readonly sessions: Pick<SessionManager, "peek">;
  /** Orders a user may place from chats per window (the API's ORDER_RATE_LIMIT a minute). */
  readonly rateLimiter: RateLimiter;
  readonly orderLimit: RateLimit;
  readonly labelOf: (mint: string) => Promise<MintLabel>;
  readonly explorerUrl: ((signature: string) => string) | null;
  readonly logger: Logger;
  /** Called once an order's placement ends, however (tests, benchmarks). */
  readonly onPlaced?: (idempotencyKey: string, error: unknown) => void;
}) {
  const { api, store, kv, engine, logger } = deps;
  const pressKey = (userId: UserId, key: string) => `telegram:press:${userId}:${key}`;
  const messageKey = (userId: UserId, key: string) => `telegram:order-message:${userId}:${key}`;
  /** One edit at a time per message, each from the order as it is then: never an older state. */
  const editing = new Map<string, Promise<void>>();
  const inFlight = new Set<Promise<void>>();

  const quiet = (what: string) => (error: unknown) =>
    logger.warn({ error: describeTelegramError(error) }, `telegram: ${what}`);

  function isUnchanged(error: unknown): boolean {
    return error instanceof Error && /message is not modified/.test(error.message);
  }

  /** What this process last put in each status message: an edit to the same text is skipped. */
  const shown = new Map<string, string>();

  async function edit(chatId: number, messageId: number, text: string): Promise<void> {
    const slot = `${chatId}:${messageId}`;
    if (shown.get(slot) === text) return;
    try {
      await api.editMessageText(chatId, messageId, text, { parse_mode: "HTML" });
    } catch (error) {
      if (!isUnchanged(error)) throw error;
    }
    if (shown.size >= 10_000) shown.delete(shown.keys().next().value as string);
    shown.set(slot, text);
  }

  /** Renders the order as it is now into its message, after any edit already under way. */
  function refresh(userId: UserId, orderId: string, chatId: number, messageId: number) {
    const slot = `${chatId}:${messageId}`;
    const next = (editing.get(slot) ?? Promise.resolve()).then(async () => {
      const order = await store.orders.findById(orderId as OrderRecord["id"]);
      if (!order || order.userId !== userId) return;
      await edit(
        chatId,
        messageId,
        renderOrderMessage(order, await deps.labelOf(order.mint), deps.explorerUrl),
      );
    });
    const settled = next.catch(quiet("order message not edited"));
    editing.set(slot, settled);
    void settled.then(() => {
      if (editing.get(slot) === settled) editing.delete(slot);
    });
    return settled;
  }

  /**
   * Takes the button's press for this process: true for the first press, and for a later one
   * when an earlier claim is over a minute old and never wrote an order (its process died).
   */
  async function claim(userId: UserId, key: string): Promise<boolean> {
    const now = String(Date.now());
    if (await kv.compareAndSet(pressKey(userId, key), null, now, { ttlMs: KEEP_MS })) return true;
    const held = await kv.get(pressKey(userId, key));
    if (held === null || (await isFreshClaim(userId, key))) return false;
    if (await store.orders.findByIdempotencyKey(userId, key)) return false;
    return kv.compareAndSet(pressKey(userId, key), held, now, { ttlMs: KEEP_MS });
  }

  async function isFreshClaim(userId: UserId, key: string): Promise<boolean> {
    const held = await kv.get(pressKey(userId, key));
    return held !== null && Date.now() - Number(held) < STALE_CLAIM_MS;
  }

  async function linkOf(userId: UserId, key: string) {
    const text = await kv.get(messageKey(userId, key));
    return text === null ? null : (JSON.parse(text) as { chatId: number; messageId: number });
  }

  async function place(input: ChatOrderInput, token: string): Promise<void> {
    const { userId, chatId, idempotencyKey } = input;
    // The order starts at once; its message is sent meanwhile and linked when it arrives.
    const placing = engine.placeOrder({
      userId,
      sessionToken: token,
      idempotencyKey,
      body: input.body,
    });
    const status = api
      .sendMessage(chatId, `⏳ ${escapeHtml(input.title)}…`, {
        parse_mode: "HTML",
        reply_parameters: { message_id: input.replyTo },
      })
      .then(async (sent) => {
        await kv.set(
          messageKey(userId, idempotencyKey),
          JSON.stringify({ chatId, messageId: sent.message_id }),
          { ttlMs: KEEP_MS },
        );
        return sent.message_id;
      });
    const [placed, messageId] = await Promise.allSettled([placing, status]);
    deps.onPlaced?.(idempotencyKey, placed.status === "rejected" ? placed.reason : null);
    if (messageId.status === "rejected") quiet("status message not sent")(messageId.reason);
    if (placed.status === "fulfilled") {
      if (messageId.status === "fulfilled")
        await refresh(userId, placed.value.order.id, chatId, messageId.value);
      return;
    }
    // Refused (nothing signed): the button can be pressed again.
    await kv.delete(pressKey(userId, idempotencyKey));
    const error = placed.reason;
    const ended =
      isOspreyError(error, "SESSION_NOT_FOUND") || isOspreyError(error, "SESSION_EXPIRED");
    if (ended) await deps.chatSessions.release(userId);
    if (!isOspreyError(error)) quiet("chat order failed")(error);
    if (messageId.status === "rejected") return;
    const why = ended
      ? "Your trading session has ended (locked or expired). /unlock to open a new one."
      : isOspreyError(error)
        ? error.message
        : "Something went wrong on the server; nothing was signed.";
    await edit(
      chatId,
      messageId.value,
      `❌ ${escapeHtml(input.title)}: not placed.\n${escapeHtml(why)}`,
    ).catch(quiet("status message not edited"));
  }

  return {
    /**
     * Places an order for a press. A second press of the same button (a double tap, on any
     * instance) is told apart by its claim and changes nothing.
     */
    async placeFromChat(input: ChatOrderInput): Promise<ChatOrderOutcome> {
      const session = await deps.chatSessions.get(input.userId);
      if (!session) return { kind: "locked" };
      // Locked in the terminal, idle too long or logged out: the hold goes with it.
      if (!(await deps.sessions.peek(session.token, input.userId))) {
        await deps.chatSessions.release(input.userId);
        return { kind: "locked" };
      }
      await deps.rateLimiter.hit(`telegram-orders:${input.userId}`, deps.orderLimit);
      if (!(await claim(input.userId, input.idempotencyKey))) return { kind: "duplicate" };
      const run = place(input, session.token).catch(quiet("chat order failed"));
      inFlight.add(run);
      void run.finally(() => inFlight.delete(run));
      return { kind: "placing" };
    },

    /** Every order change (the order engine's hook): edits its chat message or announces it. */
    async onOrderChange(orderId: string): Promise<void> {
      const order = await store.orders.findById(orderId as OrderRecord["id"]);
      if (!order) return;
      const fromChat = order.idempotencyKey.startsWith(CHAT_KEY_PREFIX);
      const link = fromChat ? await linkOf(order.userId, order.idempotencyKey) : null;
      if (link) {
        await refresh(order.userId, order.id, link.chatId, link.messageId);
        return;
      }
      // A chat order whose message was never linked (the process died in between) is announced
      // when it ends, like an order from elsewhere, in the user's own chat. While its press is
      // fresh, the process placing it is alive and links and renders it itself.
      if (!isTerminalOrderStatus(order.status)) return;
      if (fromChat && (await isFreshClaim(order.userId, order.idempotencyKey))) return;
      const account = await store.telegram.findAccountOfUser(order.userId);
      if (!account) return;
      const from = fromChat
        ? "Placed from this chat"
        : order.triggerId
          ? "Standing order"
          : "Placed in the terminal";
      const text = `${from}:\n${renderOrderMessage(order, await deps.labelOf(order.mint), deps.explorerUrl)}`;
      await api.sendMessage(account.chatId, text, { parse_mode: "HTML" });
    },

    /** A standing order's change: its status changes (not its price updates) reach the chat once. */
    async onTriggerChange(
      userId: string,
      trigger: { id: string; type: string; mint: string; status: string; reason: string | null },
    ): Promise<void> {
      const title = TRIGGER_EVENTS[trigger.status];
      if (!title) return;
      const account = await store.telegram.findAccountOfUser(userId as UserId);
      if (!account) return;
      const first = await kv.compareAndSet(
        `telegram:trigger-event:${trigger.id}:${trigger.status}`,
        null,
        "1",
        {
          ttlMs: 7 * KEEP_MS,
        },
      );
      if (!first) return;
      const label = await deps.labelOf(trigger.mint);
      const lines = [
        `${title}: ${escapeHtml(trigger.type.replace("_", " "))} on <b>${escapeHtml(label.symbol ?? "token")}</b>`,
        `<code>${trigger.mint}</code>`,
        ...(trigger.reason ? [escapeHtml(trigger.reason)] : []),
      ];
      await api.sendMessage(account.chatId, lines.join("\n"), { parse_mode: "HTML" });
    },

    /** Waits for the placements under way (a stop). */
    async settle(): Promise<void> {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      await Promise.allSettled([...editing.values()]);
    },
  };
}

export type ChatOrders = ReturnType<typeof createChatOrders>;
