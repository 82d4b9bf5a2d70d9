import { createServer } from "node:http";
import { apiThrottler } from "@grammyjs/transformer-throttler";
import { Bot, GrammyError, InlineKeyboard, webhookCallback } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import { type BotApiEmulator, startBotApiEmulator } from "./support/bot-api-emulator.js";

// The Bot API stand-in the Telegram tests run against, checked with grammY itself: long polling,
// webhooks with the secret-token header, messages edited in place, Telegram's errors and its
// flood control.

const TOKEN = "123456:test-token";
let emulator: BotApiEmulator | undefined;
let stops: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const stop of stops.reverse()) await stop();
  stops = [];
  await emulator?.close();
  emulator = undefined;
});

function echoBot(api: BotApiEmulator) {
  const bot = new Bot(TOKEN, { client: { apiRoot: api.apiRoot } });
  bot.on("message:text", (ctx) =>
    ctx.reply(`echo ${ctx.message.text}`, {
      reply_markup: new InlineKeyboard().text("Tap", "tap:1"),
    }),
  );
  bot.callbackQuery("tap:1", async (ctx) => {
    await ctx.answerCallbackQuery({ text: "tapped" });
    await ctx.editMessageText("tapped once");
  });
  return bot;
}

describe("Bot API emulator", () => {
  it("hands a user's message and button press to a long-polling bot and shows its edits", async () => {
    emulator = await startBotApiEmulator({ token: TOKEN });
    const api = emulator;
    const bot = echoBot(api);
    // Polling from here on: what a user writes before the bot starts is dropped, as asked.
    await new Promise<void>((resolve) => {
      void bot.start({ drop_pending_updates: true, timeout: 1, onStart: () => resolve() });
    });
    stops.push(() => bot.stop());
    const { user, chat } = api.createUser("Ada", "ada");

    api.say(user, "hello");
    const reply = await api.waitFor(() => api.botMessages(chat.id)[0], 10_000, "the reply");
    expect(reply.text).toBe("echo hello");
    expect(reply.reply_markup?.inline_keyboard[0]?.[0]?.callback_data).toBe("tap:1");

    const press = api.press(user, reply, "tap:1");
    await api.waitFor(() => (reply.text === "tapped once" ? true : undefined));
    expect(api.answerOf(press)).toEqual({ text: "tapped" });
    // Edited in place: still one bot message, without its keyboard.
    expect(api.botMessages(chat.id)).toHaveLength(1);
    expect(reply.reply_markup).toBeUndefined();
  });

  it("answers like Telegram: 401 for a wrong token, 400 for an unchanged edit or a missing chat", async () => {
    emulator = await startBotApiEmulator({ token: TOKEN });
    const api = emulator;
    const wrong = new Bot("999:wrong", { client: { apiRoot: api.apiRoot } });
    await expect(wrong.api.getMe()).rejects.toMatchObject({ error_code: 401 });
    const bot = new Bot(TOKEN, { client: { apiRoot: api.apiRoot } });
    expect((await bot.api.getMe()).username).toBe("osprey_test_bot");
    const { chat } = api.createUser("Bo");
    const sent = await bot.api.sendMessage(chat.id, "one");
    const unchanged = await bot.api
      .editMessageText(chat.id, sent.message_id, "one")
      .catch((error: unknown) => error);
    expect(unchanged).toBeInstanceOf(GrammyError);
    expect((unchanged as GrammyError).description).toMatch(/message is not modified/);
    await expect(bot.api.sendMessage(42, "nobody")).rejects.toMatchObject({
      error_code: 400,
      description: "Bad Request: chat not found",
    });
    await bot.api.deleteMessage(chat.id, sent.message_id);
    expect(api.botMessages(chat.id)).toEqual([]);
  });

  it("delivers updates to a webhook with the secret-token header", async () => {
    emulator = await startBotApiEmulator({ token: TOKEN });
    const api = emulator;
    const bot = echoBot(api);
    await bot.init();
    const handle = webhookCallback(bot, "http", { secretToken: "s3cret-token" });
    const server = createServer((req, res) => void handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    stops.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const { port } = server.address() as { port: number };
    await bot.api.setWebhook(`http://127.0.0.1:${port}/telegram`, {
      secret_token: "s3cret-token",
    });
    const { user, chat } = api.createUser("Cy");
    api.say(user, "via webhook");
    const reply = await api.waitFor(() => api.botMessages(chat.id)[0]);
    expect(reply.text).toBe("echo via webhook");
    // getUpdates is refused while a webhook is set, as on Telegram.
    await expect(bot.api.getUpdates()).rejects.toMatchObject({ error_code: 409 });
  });

  it("answers 429 with retry_after past 30 messages a second, and a throttled bot stays under it", async () => {
    emulator = await startBotApiEmulator({ token: TOKEN });
    const api = emulator;
    const users = Array.from({ length: 80 }, (_, i) => api.createUser(`U${i}`).chat);
    const raw = new Bot(TOKEN, { client: { apiRoot: api.apiRoot } });
    const results = await Promise.allSettled(users.map((c) => raw.api.sendMessage(c.id, "hi")));
    const refused = results.filter((r) => r.status === "rejected");
    expect(refused.length).toBeGreaterThan(0);
    expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({
      error_code: 429,
      parameters: { retry_after: 1 },
    });

    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const before = api.calls.length;
    const throttled = new Bot(TOKEN, { client: { apiRoot: api.apiRoot } });
    // Starts spaced 50 ms apart: never 30 in any one second (grammY's default refills 30 a
    // second in fixed windows, which can put 60 in a sliding second).
    throttled.api.config.use(apiThrottler({ global: { maxConcurrent: 30, minTime: 50 } }));
    const sent = await Promise.allSettled(
      users.slice(0, 40).map((c) => throttled.api.sendMessage(c.id, "hi")),
    );
    expect(sent.every((r) => r.status === "fulfilled")).toBe(true);
    expect(api.calls.slice(before).filter((c) => !c.ok)).toEqual([]);
  }, 20_000);
});
