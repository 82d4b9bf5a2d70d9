import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getWebhookSecret } from "../../src/telegram/create-telegram.js";
import { startTradingSandbox } from "../trading/trading-setup.js";
import { type BotApiEmulator, startBotApiEmulator } from "./support/bot-api-emulator.js";
import { BOT_TOKEN, type ChatUser, chatUser, type TelegramEnv } from "./support/telegram-setup.js";

// The bot in webhook mode: Telegram (the emulator) POSTs each update to the app's own server at
// TELEGRAM_WEBHOOK_URL's path with the secret-token header; anything without that secret is
// refused before grammY looks at it.

/** A port nothing listens on now: the webhook URL has to name it before the app starts. */
async function getFreePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const env = {} as TelegramEnv & { hookUrl: string };
let closed = false;
let wren: ChatUser;

beforeAll(async () => {
  const port = await getFreePort();
  env.hookUrl = `http://127.0.0.1:${port}/telegram/hook`;
  env.emulator = await startBotApiEmulator({ token: BOT_TOKEN });
  env.sandbox = await startTradingSandbox();
  env.server = await env.sandbox.startApp(
    {},
    {
      PORT: String(port),
      TELEGRAM_BOT_TOKEN: BOT_TOKEN,
      TELEGRAM_API_ROOT: env.emulator.apiRoot,
      TELEGRAM_WEBHOOK_URL: env.hookUrl,
    },
  );
}, 120_000);
afterAll(async () => {
  if (!closed) await env.server?.close();
  await env.sandbox?.close();
  await env.emulator?.close();
});

/** Asks the emulator what Telegram would answer to a Bot API call. */
async function callBotApi(emulator: BotApiEmulator, method: string) {
  const response = await fetch(`${emulator.apiRoot}/bot${BOT_TOKEN}/${method}`, { method: "POST" });
  return (await response.json()) as { ok: boolean; result: Record<string, unknown> };
}

/** An update as Telegram would send it: `text` from `user` in their private chat. */
function updateFrom(user: { id: number; first_name: string }, text: string, updateId: number) {
  return {
    update_id: updateId,
    message: {
      message_id: 1,
      date: Math.floor(Date.now() / 1000),
      chat: { id: user.id, type: "private", first_name: user.first_name },
      from: { ...user, is_bot: false },
      text,
      entities: [{ type: "bot_command", offset: 0, length: text.split(" ")[0]?.length ?? 0 }],
    },
  };
}

describe("the Telegram bot behind a webhook", () => {
  it("sets the webhook with its secret once the server listens, and never polls", async () => {
    const info = await callBotApi(env.emulator, "getWebhookInfo");
    expect(info.result.url).toBe(env.hookUrl);
    const set = env.emulator.calls.filter((call) => call.method === "setWebhook");
    expect(set).toHaveLength(1);
    expect(set[0]?.params).toMatchObject({
      url: env.hookUrl,
      secret_token: getWebhookSecret(BOT_TOKEN),
    });
    expect(set[0]?.ok).toBe(true);
    const methods = env.emulator.calls.map((call) => call.method);
    expect(methods).not.toContain("getUpdates");
    expect(methods).not.toContain("deleteWebhook");
    expect(env.server.url).toBe(new URL(env.hookUrl).origin);
  });

  it("links a user whose /start arrives by webhook and welcomes them", async () => {
    wren = chatUser(env, "Wren");
    const started = wren.say("/start");
    const welcome = await wren.nextBotMessage(/Welcome to Osprey/, started.message_id);
    expect(welcome.text).toContain("/unlock");
    const account = await env.server.app.store.telegram.findAccount(String(wren.user.id));
    expect(account).toMatchObject({ chatId: String(wren.chat.id), username: "wren" });
    // Answered 2xx once handled: Telegram keeps nothing to retry.
    await env.emulator.waitFor(
      () => (env.emulator.pendingUpdates() === 0 ? true : undefined),
      5_000,
      "the delivery to be acknowledged",
    );
  });

  it("answers the linked user's pasted mint with its token card", async () => {
    const mint = env.sandbox.stack.ready.mints.BONKY ?? "";
    const pasted = wren.say(mint);
    const card = await wren.nextBotMessage(/Safety:/, pasted.message_id);
    expect(card.text).toContain("Safety: ok");
    expect(card.text).toContain(mint);
    expect(card.reply_markup?.inline_keyboard.flat().map((button) => button.text)).toContain(
      "Buy 0.1 SOL",
    );
  });

  it("refuses a delivery without the secret header, or with a wrong one, and does nothing", async () => {
    const { store } = env.server.app;
    const mallory = chatUser(env, "Mallory");
    const users = await store.users.count();
    const forged = [
      {},
      { "x-telegram-bot-api-secret-token": "not-the-secret" },
      // The right length, one character off.
      { "x-telegram-bot-api-secret-token": `${getWebhookSecret(BOT_TOKEN).slice(0, -1)}A` },
      { "x-telegram-bot-api-secret-token": getWebhookSecret("1:another-bot-token-entirely_00") },
    ];
    const post = (text: string, updateId: number, headers: Record<string, string>) =>
      fetch(env.hookUrl, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(updateFrom(mallory.user, text, updateId)),
      });
    for (const [i, headers] of forged.entries()) {
      const response = await post("/start", 900_000 + i, headers);
      expect(response.status).toBe(401);
      expect(await response.text()).toContain("secret token is wrong");
    }
    expect(await store.telegram.findAccount(String(mallory.user.id))).toBeUndefined();
    expect(await store.users.count()).toBe(users);
    // The same request with the right secret is handled (answered at once, handled after):
    // /help, which links nobody, is then the only thing the bot has said in that chat.
    const genuine = await post("/help", 900_100, {
      "x-telegram-bot-api-secret-token": getWebhookSecret(BOT_TOKEN),
    });
    expect(genuine.status).toBe(200);
    await mallory.nextBotMessage(/paste a token/);
    expect(mallory.botMessages(/./).map((message) => message.text)).toEqual([
      expect.stringMatching(/paste a token/),
    ]);
    expect(await store.telegram.findAccount(String(mallory.user.id))).toBeUndefined();
    expect(await store.users.count()).toBe(users);
  });

  it("closes cleanly, and the webhook route goes with the server", async () => {
    const { logs } = env.server;
    await expect(env.server.close()).resolves.toBeUndefined();
    closed = true;
    await expect(
      fetch(env.hookUrl, { method: "POST", body: "{}", signal: AbortSignal.timeout(5_000) }),
    ).rejects.toThrow();
    expect(logs.text()).not.toMatch(/telegram update failed|telegram: .* not sent/);
  });
});
