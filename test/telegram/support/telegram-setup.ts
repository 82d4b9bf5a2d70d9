import { address } from "@solana/kit";
import { afterAll, beforeAll } from "vitest";
import type { AppOptions } from "../../../src/app.js";
import { createCookieClient } from "../../support/cookie-client.js";
import {
  startTradingSandbox,
  type TestServer,
  type TradingSandbox,
} from "../../trading/trading-setup.js";
import {
  type BotApiEmulator,
  type EmulatedChat,
  type EmulatedMessage,
  type EmulatedUser,
  startBotApiEmulator,
} from "./bot-api-emulator.js";
import { BOT_TOKEN } from "./telegram-fixtures.js";

export interface TelegramEnv {
  emulator: BotApiEmulator;
  sandbox: TradingSandbox;
  server: TestServer;
}

export { BOT_TOKEN, buttonData } from "./telegram-fixtures.js";

/** One Bot API emulator, one trading sandbox and one app with the bot on (long polling). */
export function useTelegramApp(
  options: {
    database?: "sqlite" | "postgres";
    env?: Record<string, string>;
    app?: AppOptions;
  } = {},
): TelegramEnv {
  const ctx = {} as TelegramEnv;
  beforeAll(async () => {
    ctx.emulator = await startBotApiEmulator({ token: BOT_TOKEN });
    ctx.sandbox = await startTradingSandbox(options.database ?? "sqlite");
    ctx.server = await ctx.sandbox.startApp(options.app ?? {}, {
      TELEGRAM_BOT_TOKEN: BOT_TOKEN,
      TELEGRAM_API_ROOT: ctx.emulator.apiRoot,
      ...options.env,
    });
  }, 120_000);
  afterAll(async () => {
    await ctx.server?.close();
    await ctx.sandbox?.close();
    await ctx.emulator?.close();
  });
  return ctx;
}

export interface ChatUser {
  readonly user: EmulatedUser;
  readonly chat: EmulatedChat;
  say(text: string, where?: EmulatedChat): EmulatedMessage;
  /** Presses the button with this callback data under `message`; resolves to the bot's answer. */
  press(message: EmulatedMessage, data: string): Promise<{ text?: string; show_alert?: boolean }>;
  /** The first bot message in the chat after `after` (a message id) whose text matches. */
  nextBotMessage(match: RegExp, after?: number, where?: EmulatedChat): Promise<EmulatedMessage>;
  /** The bot's messages in the chat whose text matches. */
  botMessages(match: RegExp, where?: EmulatedChat): EmulatedMessage[];
}

export function chatUser(env: TelegramEnv, name: string): ChatUser {
  const { user, chat } = env.emulator.createUser(name, name.toLowerCase());
  const api = env.emulator;
  const self: ChatUser = {
    user,
    chat,
    say: (text, where) => api.say(user, text, where),
    async press(message, data) {
      const id = api.press(user, message, data);
      return api.waitFor(() => api.answerOf(id), 15_000, `the answer to ${data}`);
    },
    nextBotMessage(match, after = 0, where = chat) {
      return api.waitFor(
        () => self.botMessages(match, where).find((m) => m.message_id > after),
        20_000,
        `a bot message matching ${match}`,
      );
    },
    botMessages: (match, where = chat) =>
      api.botMessages(where.id).filter((m) => match.test(m.text ?? "")),
  };
  return self;
}

/** A new Telegram user who has sent /start (a new Osprey account) and been welcomed. */
export async function startedChatUser(env: TelegramEnv, name: string): Promise<ChatUser> {
  const who = chatUser(env, name);
  const started = who.say("/start");
  await who.nextBotMessage(/Welcome to Osprey/, started.message_id);
  return who;
}

/**
 * What a user does in the web terminal after /unlock: opens the one-time link (logged in by it),
 * creates a wallet, funds it from the sandbox, unlocks it and hands the session to the chat.
 */
export async function unlockThroughWeb(env: TelegramEnv, who: ChatUser, lamports = 5_000_000_000n) {
  const asked = who.say("/unlock");
  const link = await who.nextBotMessage(/#\/telegram\/otw_/, asked.message_id);
  const token = /#\/telegram\/(otw_[A-Za-z0-9_-]{43})/.exec(link.text ?? "")?.[1] ?? "";
  const web = createCookieClient(env.server.url);
  const login = await web.call("POST", "/v1/telegram/web-login", { token });
  if (login.status !== 200) throw new Error(`web login refused: ${login.text}`);
  const wallet = await web.call("POST", "/v1/wallets", { password: "wallet password" });
  const walletId = String(wallet.body.id);
  const publicKey = String(wallet.body.publicKey);
  env.sandbox.stack.sandbox.chain.airdrop(address(publicKey), lamports);
  const unlocked = await web.call("POST", `/v1/wallets/${walletId}/unlock`, {
    password: "wallet password",
  });
  if (unlocked.status !== 200) throw new Error(`unlock refused: ${unlocked.text}`);
  const handed = await web.call("POST", "/v1/telegram/session", {});
  if (handed.status !== 200) throw new Error(`handoff refused: ${handed.text}`);
  await who.nextBotMessage(/unlocked for this chat/, link.message_id);
  return {
    web,
    token,
    walletId,
    publicKey,
    userId: String((login.body.user as { id: string }).id),
  };
}
