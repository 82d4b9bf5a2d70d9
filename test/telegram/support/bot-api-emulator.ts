import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { parseTelegramHtml } from "./parse-html.js";

/**
 * A local stand-in for Telegram's Bot API server (what lives off this machine), speaking its
 * HTTP protocol: `POST {root}/bot<token>/<method>` with a JSON (or form) body, answered
 * `{ok: true, result}` or `{ok: false, error_code, description, parameters?}` with Telegram's
 * wording. It holds the chats of simulated users, hands their messages and button presses to
 * the bot by long polling (`getUpdates`) or by webhook (`setWebhook`, with the secret-token
 * header), records every call, and enforces Telegram's documented flood limits (30 messages a
 * second in all, 1 a second per chat after a short burst, 20 a minute per group) with 429
 * `retry_after`, so a test can tell whether the bot stays under them.
 */

export interface EmulatedUser {
  readonly id: number;
  readonly is_bot: false;
  readonly first_name: string;
  readonly username?: string;
}

export interface EmulatedChat {
  readonly id: number;
  readonly type: "private" | "group";
  readonly title?: string;
  readonly first_name?: string;
  readonly username?: string;
}

export interface EmulatedMessage {
  readonly message_id: number;
  readonly chat: EmulatedChat;
  readonly date: number;
  /** Absent on the bot's own messages. */
  readonly from?: EmulatedUser | BotUser;
  text?: string;
  entities?: unknown[];
  reply_markup?: InlineKeyboard;
  /** The message this one answers (a reply to a ForceReply prompt). */
  reply_to_message?: EmulatedMessage;
  edit_date?: number;
  /** Set by deleteMessage: the message is gone from the chat. */
  deleted?: boolean;
}

interface BotUser {
  readonly id: number;
  readonly is_bot: true;
  readonly first_name: string;
  readonly username: string;
}

export interface InlineButton {
  readonly text: string;
  readonly callback_data?: string;
  readonly url?: string;
}

export interface InlineKeyboard {
  readonly inline_keyboard: InlineButton[][];
  /** A ForceReply markup instead of buttons. */
  readonly force_reply?: boolean;
}

export interface CallRecord {
  readonly method: string;
  readonly params: Record<string, unknown>;
  readonly at: number;
  /** The chat the call wrote to, if any. */
  readonly chatId?: number;
  readonly ok: boolean;
  readonly errorCode?: number;
}

interface Update {
  readonly update_id: number;
  readonly message?: EmulatedMessage;
  readonly edited_message?: EmulatedMessage;
  readonly callback_query?: {
    id: string;
    from: EmulatedUser;
    message: EmulatedMessage;
    chat_instance: string;
    data: string;
  };
}

export interface FloodLimits {
  /** Messages a second across all chats (Telegram: about 30). */
  readonly globalPerSecond: number;
  /** Messages a second in one private chat, after `chatBurst` (Telegram: 1). */
  readonly chatPerSecond: number;
  readonly chatBurst: number;
  /** Messages a minute in one group (Telegram: 20). */
  readonly groupPerMinute: number;
}

const TELEGRAM_LIMITS: FloodLimits = {
  globalPerSecond: 30,
  chatPerSecond: 1,
  chatBurst: 3,
  groupPerMinute: 20,
};

class BotApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: Record<string, unknown>,
  ) {
    super(description);
  }
}

const badRequest = (what: string) => new BotApiError(400, `Bad Request: ${what}`);

export interface BotApiEmulatorOptions {
  readonly token: string;
  readonly botUsername?: string;
  readonly limits?: Partial<FloodLimits>;
}

export async function startBotApiEmulator(options: BotApiEmulatorOptions) {
  const limits = { ...TELEGRAM_LIMITS, ...options.limits };
  const bot: BotUser = {
    id: 7_000_000_001,
    is_bot: true,
    first_name: "Osprey",
    username: options.botUsername ?? "osprey_test_bot",
  };
  const chats = new Map<number, EmulatedChat>();
  const messages = new Map<number, EmulatedMessage[]>();
  const calls: CallRecord[] = [];
  const sentAt: { at: number; chatId: number }[] = [];
  let updates: Update[] = [];
  let nextUpdateId = 1;
  let nextCallbackId = 1;
  let webhook: { url: string; secret?: string } | null = null;
  let waiters: (() => void)[] = [];
  const answeredCallbacks = new Map<string, { text?: string; show_alert?: boolean }>();
  const now = () => Math.floor(Date.now() / 1000);

  const messagesOf = (chatId: number) => {
    let list = messages.get(chatId);
    if (!list) {
      list = [];
      messages.set(chatId, list);
    }
    return list;
  };
  const chatOf = (value: unknown): EmulatedChat => {
    const chat = chats.get(Number(value));
    if (!chat) throw badRequest("chat not found");
    return chat;
  };
  const messageOf = (chatId: number, messageId: unknown) => {
    const found = messagesOf(chatId).find((m) => m.message_id === Number(messageId));
    if (!found || found.deleted) throw badRequest("message to edit not found");
    return found;
  };
  const addMessage = (chat: EmulatedChat, fields: Partial<EmulatedMessage>): EmulatedMessage => {
    const list = messagesOf(chat.id);
    const message: EmulatedMessage = {
      message_id: list.length + 1,
      chat,
      date: now(),
      ...fields,
    };
    list.push(message);
    return message;
  };
  const pushUpdate = (update: Omit<Update, "update_id">) => {
    const full = { update_id: nextUpdateId++, ...update };
    updates.push(full);
    const woken = waiters;
    waiters = [];
    for (const wake of woken) wake();
    if (webhook) void deliver(full);
    return full;
  };

  /** Telegram's flood control, as far as it is documented: 429 with retry_after. */
  function checkFlood(chat: EmulatedChat): void {
    const at = Date.now();
    while (sentAt.length > 0 && at - (sentAt[0] as { at: number }).at > 60_000) sentAt.shift();
    const lastSecond = sentAt.filter((s) => at - s.at < 1_000);
    const retry = (seconds: number) =>
      new BotApiError(429, `Too Many Requests: retry after ${seconds}`, { retry_after: seconds });
    if (lastSecond.length >= limits.globalPerSecond) throw retry(1);
    if (chat.type === "group") {
      const inGroup = sentAt.filter((s) => s.chatId === chat.id).length;
      if (inGroup >= limits.groupPerMinute) throw retry(60);
    } else {
      // A short burst is tolerated; beyond it, one a second.
      const inChat = lastSecond.filter((s) => s.chatId === chat.id).length;
      if (inChat >= limits.chatBurst + limits.chatPerSecond - 1) throw retry(1);
    }
    sentAt.push({ at, chatId: chat.id });
  }

  const keyboardOf = (value: unknown): InlineKeyboard | undefined => {
    if (value === undefined || value === null) return undefined;
    const markup = (typeof value === "string" ? JSON.parse(value) : value) as InlineKeyboard;
    for (const row of markup.inline_keyboard ?? []) {
      for (const button of row) {
        if (button.callback_data !== undefined && Buffer.byteLength(button.callback_data) > 64)
          throw badRequest("BUTTON_DATA_INVALID");
      }
    }
    return markup;
  };
  /** The text as Telegram keeps it: HTML parse mode becomes plain text with entities. */
  const textOf = (p: Record<string, unknown>): { text: string; entities?: unknown[] } => {
    const given = String(p.text ?? "");
    let parsed: { text: string; entities?: unknown[] } = { text: given };
    if (p.parse_mode === "HTML") {
      try {
        const html = parseTelegramHtml(given);
        parsed = { text: html.text, ...(html.entities.length ? { entities: html.entities } : {}) };
      } catch (error) {
        throw badRequest((error as Error).message);
      }
    }
    if (parsed.text.trim() === "") throw badRequest("message text is empty");
    if (parsed.text.length > 4096) throw badRequest("message is too long");
    return parsed;
  };

  const methods: Record<string, (p: Record<string, unknown>) => unknown> = {
    getMe: () => ({ ...bot, can_join_groups: true, supports_inline_queries: false }),
    getUpdates: () => {
      throw new Error("handled apart");
    },
    setWebhook: (p) => {
      webhook = {
        url: String(p.url),
        ...(p.secret_token === undefined ? {} : { secret: String(p.secret_token) }),
      };
      for (const update of updates) void deliver(update);
      return true;
    },
    deleteWebhook: (p) => {
      webhook = null;
      if (p.drop_pending_updates === true) updates = [];
      return true;
    },
    getWebhookInfo: () => ({
      url: webhook?.url ?? "",
      has_custom_certificate: false,
      pending_update_count: updates.length,
    }),
    setMyCommands: () => true,
    deleteMyCommands: () => true,
    sendChatAction: (p) => {
      chatOf(p.chat_id);
      return true;
    },
    sendMessage: (p) => {
      const chat = chatOf(p.chat_id);
      const content = textOf(p);
      const markup = keyboardOf(p.reply_markup);
      checkFlood(chat);
      return addMessage(chat, {
        from: bot,
        ...content,
        ...(markup ? { reply_markup: markup } : {}),
      });
    },
    editMessageText: (p) => {
      const chat = chatOf(p.chat_id);
      const message = messageOf(chat.id, p.message_id);
      const { text, entities } = textOf(p);
      const markup = keyboardOf(p.reply_markup);
      if (message.text === text && JSON.stringify(message.reply_markup) === JSON.stringify(markup))
        throw badRequest(
          "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
        );
      checkFlood(chat);
      message.text = text;
      if (entities) message.entities = entities;
      else delete message.entities;
      if (markup) message.reply_markup = markup;
      else delete message.reply_markup;
      message.edit_date = now();
      return message;
    },
    editMessageReplyMarkup: (p) => {
      const chat = chatOf(p.chat_id);
      const message = messageOf(chat.id, p.message_id);
      const markup = keyboardOf(p.reply_markup);
      if (JSON.stringify(message.reply_markup) === JSON.stringify(markup))
        throw badRequest("message is not modified");
      checkFlood(chat);
      if (markup) message.reply_markup = markup;
      else delete message.reply_markup;
      message.edit_date = now();
      return message;
    },
    deleteMessage: (p) => {
      const chat = chatOf(p.chat_id);
      const message = messagesOf(chat.id).find((m) => m.message_id === Number(p.message_id));
      if (!message || message.deleted) throw badRequest("message to delete not found");
      message.deleted = true;
      return true;
    },
    answerCallbackQuery: (p) => {
      const id = String(p.callback_query_id);
      if (answeredCallbacks.has(id))
        throw badRequest("query is too old and response timeout expired or query ID is invalid");
      answeredCallbacks.set(id, {
        ...(p.text === undefined ? {} : { text: String(p.text) }),
        ...(p.show_alert === undefined ? {} : { show_alert: Boolean(p.show_alert) }),
      });
      return true;
    },
  };

  async function deliver(update: Update): Promise<void> {
    const target = webhook;
    if (!target) return;
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        const response = await fetch(target.url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            ...(target.secret ? { "x-telegram-bot-api-secret-token": target.secret } : {}),
          },
          body: JSON.stringify(update),
        });
        await response.text();
        if (response.ok) {
          updates = updates.filter((u) => u.update_id !== update.update_id);
          return;
        }
      } catch {
        // Telegram retries a failing webhook; so does this.
      }
      await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
    }
  }

  async function getUpdates(p: Record<string, unknown>, signal: AbortSignal): Promise<Update[]> {
    if (webhook)
      throw new BotApiError(409, "Conflict: can't use getUpdates method while webhook is active");
    const offset = p.offset === undefined ? 0 : Number(p.offset);
    if (offset > 0) updates = updates.filter((u) => u.update_id >= offset);
    const limit = Math.min(100, Math.max(1, Number(p.limit ?? 100)));
    const timeoutMs = Math.min(50, Number(p.timeout ?? 0)) * 1000;
    const deadline = Date.now() + timeoutMs;
    while (updates.length === 0 && Date.now() < deadline && !signal.aborted) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadline - Date.now());
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
        signal.addEventListener("abort", () => resolve(), { once: true });
      });
    }
    return updates.slice(0, limit);
  }

  async function readParams(req: IncomingMessage, url: URL): Promise<Record<string, unknown>> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
    const type = req.headers["content-type"] ?? "";
    if (body !== "" && type.includes("application/json"))
      Object.assign(params, JSON.parse(body) as Record<string, unknown>);
    else if (body !== "" && type.includes("application/x-www-form-urlencoded"))
      Object.assign(params, Object.fromEntries(new URLSearchParams(body)));
    return params;
  }

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!match) return send(res, 404, { ok: false, error_code: 404, description: "Not Found" });
    const [, token, method = ""] = match;
    const aborted = new AbortController();
    res.on("close", () => aborted.abort());
    void (async () => {
      const params = await readParams(req, url);
      const record = (ok: boolean, errorCode?: number) => {
        const chatId = params.chat_id === undefined ? undefined : Number(params.chat_id);
        calls.push({
          method,
          params,
          at: Date.now(),
          ok,
          ...(chatId === undefined ? {} : { chatId }),
          ...(errorCode === undefined ? {} : { errorCode }),
        });
      };
      try {
        if (token !== options.token) throw new BotApiError(401, "Unauthorized");
        const handler = methods[method];
        if (!handler) throw new BotApiError(404, "Not Found: method not found");
        const result =
          method === "getUpdates" ? await getUpdates(params, aborted.signal) : handler(params);
        if (method !== "getUpdates") record(true);
        send(res, 200, { ok: true, result });
      } catch (error) {
        const failure =
          error instanceof BotApiError
            ? error
            : new BotApiError(400, `Bad Request: ${(error as Error).message}`);
        record(false, failure.code);
        send(res, failure.code, {
          ok: false,
          error_code: failure.code,
          description: failure.description,
          ...(failure.parameters ? { parameters: failure.parameters } : {}),
        });
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };

  let nextUserId = 100_000_001;
  let nextGroupId = -1_000_000_001;

  return {
    /** What `TELEGRAM_API_ROOT` is set to. */
    apiRoot: `http://127.0.0.1:${port}`,
    bot,
    calls,
    /** A Telegram account that has a private chat with the bot. */
    createUser(firstName: string, username?: string) {
      const user: EmulatedUser = {
        id: nextUserId++,
        is_bot: false,
        first_name: firstName,
        ...(username ? { username } : {}),
      };
      const chat: EmulatedChat = {
        id: user.id,
        type: "private",
        first_name: firstName,
        ...(username ? { username } : {}),
      };
      chats.set(chat.id, chat);
      return { user, chat };
    },
    createGroup(title: string): EmulatedChat {
      const chat: EmulatedChat = { id: nextGroupId--, type: "group", title };
      chats.set(chat.id, chat);
      return chat;
    },
    /** The user writes `text` in `chat` (their private chat by default). */
    say(user: EmulatedUser, text: string, chat?: EmulatedChat): EmulatedMessage {
      const where = chat ?? chatOf(user.id);
      const entities = text.startsWith("/")
        ? [{ type: "bot_command", offset: 0, length: text.split(/\s/)[0]?.length ?? 0 }]
        : undefined;
      const message = addMessage(where, { from: user, text, ...(entities ? { entities } : {}) });
      pushUpdate({ message });
      return message;
    },
    /** The user edits their own `message` to say `text` (an `edited_message` update). */
    edit(user: EmulatedUser, message: EmulatedMessage, text: string): EmulatedMessage {
      if (message.from?.id !== user.id) throw new Error("a user edits only their own messages");
      message.text = text;
      message.edit_date = now();
      pushUpdate({ edited_message: { ...message } });
      return message;
    },
    /** The user answers `to` (a bot's ForceReply prompt) with `text`. */
    reply(user: EmulatedUser, to: EmulatedMessage, text: string): EmulatedMessage {
      const message = addMessage(to.chat, { from: user, text, reply_to_message: { ...to } });
      pushUpdate({ message });
      return message;
    },
    /** The user taps the button whose callback data is `data` under the bot's `message`. */
    press(user: EmulatedUser, message: EmulatedMessage, data: string): string {
      const id = String(nextCallbackId++);
      pushUpdate({
        callback_query: {
          id,
          from: user,
          message,
          chat_instance: String(message.chat.id),
          data,
        },
      });
      return id;
    },
    /** What the bot answered to a button press, once it has. */
    answerOf: (callbackId: string) => answeredCallbacks.get(callbackId),
    /** The chat's messages, the deleted ones included (marked). */
    messages: (chatId: number): readonly EmulatedMessage[] => messagesOf(chatId),
    /** The bot's messages in the chat that are still there. */
    botMessages: (chatId: number): EmulatedMessage[] =>
      messagesOf(chatId).filter((m) => m.from?.is_bot === true && !m.deleted),
    pendingUpdates: () => updates.length,
    /** Polls `check` until it returns a value (not undefined), or throws after `timeoutMs`. */
    async waitFor<T>(check: () => T | undefined, timeoutMs = 10_000, what = "a condition") {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = check();
        if (value !== undefined) return value;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async close() {
      const woken = waiters;
      waiters = [];
      for (const wake of woken) wake();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type BotApiEmulator = Awaited<ReturnType<typeof startBotApiEmulator>>;
