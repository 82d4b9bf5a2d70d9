import { describe, expect, it } from "vitest";
import type { UserId } from "../../src/core/ids.js";
import {
  buttonData,
  type ChatUser,
  startedChatUser,
  unlockThroughWeb,
  useTelegramApp,
} from "./support/telegram-setup.js";

// What keeps a chat's orders single and the bot fair: a press claimed by a process that died
// before writing its order can be pressed again after a minute (a fresh claim cannot), the API
// refuses the bot's idempotency keys (telegram-flood.test.ts: one user's flood).

const env = useTelegramApp();
const mintOf = (symbol: string) => env.sandbox.stack.ready.mints[symbol] ?? "";

async function linkedTrader(name: string, lamports?: bigint) {
  const who = await startedChatUser(env, name);
  const unlocked = await unlockThroughWeb(env, who, lamports);
  return { who, ...unlocked };
}

async function card(who: ChatUser) {
  const asked = who.say(mintOf("BONKY"));
  return who.nextBotMessage(/Safety:/, asked.message_id);
}

describe("Telegram guards", () => {
  it("lets a button whose claim was left by a dead process be pressed again, not a live one", async () => {
    const { who, userId } = await linkedTrader("Gina");
    const pressKey = (key: string) => `telegram:press:${userId}:${key}`;
    const orders = () => env.server.app.store.orders.listForUser(userId as UserId);

    const live = await card(who);
    const liveData = buttonData(live, /^Buy 0\.1 SOL$/);
    const liveKey = `tg:${who.chat.id}:${live.message_id}:${liveData}`;
    // Claimed a moment ago by another instance, its order not written yet: a double tap.
    await env.server.app.kv.set(pressKey(liveKey), String(Date.now()));
    expect((await who.press(live, liveData)).text).toMatch(/Already placed/);

    const stale = await card(who);
    const staleData = buttonData(stale, /^Buy 0\.1 SOL$/);
    const staleKey = `tg:${who.chat.id}:${stale.message_id}:${staleData}`;
    // Claimed two minutes ago and no order came of it: that process died before writing.
    await env.server.app.kv.set(pressKey(staleKey), String(Date.now() - 120_000));
    expect((await who.press(stale, staleData)).text).toMatch(/placing/);
    await who.nextBotMessage(/Bought/, stale.message_id);
    expect((await orders()).map((order) => order.idempotencyKey)).toEqual([staleKey]);
    // Once its order exists, an old claim is a double tap again.
    await env.server.app.kv.set(pressKey(staleKey), String(Date.now() - 120_000));
    expect((await who.press(stale, staleData)).text).toMatch(/Already placed/);
    expect(await orders()).toHaveLength(1);
  });

  it("says why an order was refused, and lets its button be pressed again", async () => {
    const { who, userId } = await linkedTrader("Ivy", 50_000_000n);
    const shown = await card(who);
    const data = buttonData(shown, /^Buy 1 SOL$/);
    expect((await who.press(shown, data)).text).toMatch(/placing/);
    const refused = await who.nextBotMessage(/not placed/, shown.message_id);
    expect(refused.text).toContain("holds too little SOL");
    expect(await env.server.app.store.orders.listForUser(userId as UserId)).toHaveLength(0);
    // Nothing was written: the same button tries again (and is refused again, with a new message).
    expect((await who.press(shown, data)).text).toMatch(/placing/);
    await who.nextBotMessage(/not placed/, refused.message_id);
  });

  it("refuses the bot's idempotency keys on POST /v1/orders", async () => {
    const { web } = await linkedTrader("Hal");
    const refused = await web.call(
      "POST",
      "/v1/orders",
      { side: "buy", mint: mintOf("BONKY"), amountLamports: "100000000" },
      { "idempotency-key": "tg:123:45:b.100000000.6" },
    );
    expect([refused.status, refused.body.error?.code]).toEqual([400, "INVALID_INPUT"]);
    expect(refused.body.error?.message).toContain("Telegram bot");
  });
});
