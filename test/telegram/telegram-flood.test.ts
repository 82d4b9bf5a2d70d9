import { describe, expect, it } from "vitest";
import type { UserId } from "../../src/core/ids.js";
import { chatUser, useTelegramApp } from "./support/telegram-setup.js";

// One user's flood is dropped past their allowance (counted as updates arrive), a press past it
// is told to slow down, and another user is answered meanwhile: every chat is handled at once,
// each in order.

// A small allowance, so the flood's end is seen in a few seconds (replies go 1 a second).
const ALLOWANCE = { limit: 5, windowMs: 30_000 };
const env = useTelegramApp({ app: { telegram: { updatesPerUser: ALLOWANCE } } });

describe("a flood from one Telegram user", () => {
  it("drops one user's updates past their allowance, and answers presses to slow down", async () => {
    const flooder = chatUser(env, "Flo");
    const calm = chatUser(env, "Cal");
    const before = flooder.say("/help");
    await flooder.nextBotMessage(/paste a token/, before.message_id);
    const sent = Array.from({ length: ALLOWANCE.limit + 10 }, (_, i) => flooder.say(`/help ${i}`));
    const pressed = await flooder.press(sent[0] ?? before, "r.1");
    expect(pressed.text).toMatch(/Slow down/);
    // Another user is answered meanwhile.
    const calmAsk = calm.say("/help");
    await calm.nextBotMessage(/paste a token/, calmAsk.message_id);
    await env.emulator.waitFor(
      () => (env.emulator.pendingUpdates() === 0 ? true : undefined),
      20_000,
      "every update handed over",
    );
    // Replies in a chat go one a second: the allowed ones are out after ~5 s.
    await new Promise((resolve) => setTimeout(resolve, 7_000));
    // The first /help's reply and four of the flood's: the allowance, then nothing.
    const answered = flooder.botMessages(/paste a token/);
    expect(answered.length).toBe(ALLOWANCE.limit);
  });

  it("welcomes 80 new chats that /start at once (no password hashing per /start)", async () => {
    const users = Array.from({ length: 80 }, (_, i) => chatUser(env, `Burst${i}`));
    const asked = users.map((who) => who.say("/start"));
    const replies = await Promise.all(
      users.map((who, i) =>
        who.nextBotMessage(/Welcome|wrong|retry|not valid/, asked[i]?.message_id),
      ),
    );
    expect(replies.filter((reply) => /Welcome to Osprey/.test(reply.text ?? ""))).toHaveLength(80);
    // Such a user has no password: none logs them in.
    const account = await env.server.app.store.telegram.findAccount(String(users[0]?.user.id));
    const user = await env.server.app.store.users.findById(account?.userId as UserId);
    const login = await fetch(`${env.server.url}/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: user?.username, password: "!no-password" }),
    });
    expect(login.status).toBe(401);
  }, 60_000);
});
