import { generateKeyPairSync } from "node:crypto";
import { generateMnemonic } from "@scure/bip39";
import { wordlist } from "@scure/bip39/wordlists/english";
import { generateKeyPairSigner, getBase58Decoder } from "@solana/kit";
import { describe, expect, it } from "vitest";
import type { UserId } from "../../src/core/ids.js";
import type { EmulatedMessage } from "./support/bot-api-emulator.js";
import {
  buttonData,
  type ChatUser,
  chatUser,
  startedChatUser,
  unlockThroughWeb,
  useTelegramApp,
} from "./support/telegram-setup.js";

// A trader's whole day in a chat, through grammY against a local Bot API server (long polling),
// on the LiteSVM sandbox: start, link, unlock in the web terminal, a token card, a buy by button
// edited in place to CONFIRMED, a double tap, a 50% sell, positions; a honeypot's card; a second
// user who sees nothing of the first; a pasted secret key; bad input that changes nothing.

const env = useTelegramApp();
const mintOf = (symbol: string) => env.sandbox.stack.ready.mints[symbol] ?? "";
const riskyMint = (symbol: string) => env.sandbox.stack.ready.risky[symbol] ?? "";
const ordersOf = (userId: string) => env.server.app.store.orders.listForUser(userId as UserId);

let alice: ChatUser;
let aliceUserId = "";
let aliceCard: EmulatedMessage;

async function cardFor(who: ChatUser, text: string, where = who.chat) {
  const asked = who.say(text, where);
  return who.nextBotMessage(/Safety:/, asked.message_id, where);
}

describe("the Telegram bot, end to end", () => {
  it("starts a new user, links them, and unlocks through the one-time web link", async () => {
    alice = chatUser(env, "Alice");
    const started = alice.say("/start");
    const welcome = await alice.nextBotMessage(/Welcome to Osprey/, started.message_id);
    expect(welcome.text).toContain("/unlock");
    const account = await env.server.app.store.telegram.findAccount(String(alice.user.id));
    expect(account?.chatId).toBe(String(alice.chat.id));
    const web = await unlockThroughWeb(env, alice);
    aliceUserId = web.userId;
    expect(account?.userId).toBe(aliceUserId);
    // The web link works once.
    const again = await web.web.call("POST", "/v1/telegram/web-login", { token: web.token });
    expect([again.status, again.body.error?.code]).toEqual([400, "TELEGRAM_TOKEN_INVALID"]);
    const status = await web.web.call("GET", "/v1/telegram");
    expect(status.body).toMatchObject({
      enabled: true,
      linked: true,
      chatSession: { walletId: web.walletId },
    });
    // A second /start changes nothing.
    const restarted = alice.say("/start");
    await alice.nextBotMessage(/Welcome back/, restarted.message_id);
  });

  it("shows a healthy token's card and buys with a button: one message, edited to CONFIRMED", async () => {
    aliceCard = await cardFor(alice, mintOf("BONKY"));
    expect(aliceCard.text).toContain("Safety: ok");
    expect(aliceCard.text).toContain(mintOf("BONKY"));
    const data = buttonData(aliceCard, /^Buy 0\.1 SOL$/);
    // A double tap: both presses at once.
    const [first, second] = await Promise.all([
      alice.press(aliceCard, data),
      alice.press(aliceCard, data),
    ]);
    const answers = [first.text ?? "", second.text ?? ""].sort();
    expect(answers.some((text) => /Already placed/.test(text))).toBe(true);
    const status = await alice.nextBotMessage(/Bought/, aliceCard.message_id);
    expect(status.text).toMatch(/✅ Bought [\d.]+ BONKY for 0\.1\d* SOL/);
    expect(status.text).toMatch(/commission 0\.00085 SOL/);
    expect(status.edit_date).toBeDefined();
    // One status message for the button, and one order.
    expect(alice.botMessages(/Buy 0\.1 SOL of BONKY|Bought [\d.]+ BONKY/)).toHaveLength(1);
    const orders = await ordersOf(aliceUserId);
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ side: "buy", status: "CONFIRMED" });
    expect(orders[0]?.idempotencyKey).toBe(`tg:${alice.chat.id}:${aliceCard.message_id}:${data}`);
    // What the buy spent on chain: the 0.1 SOL, the commission on top, rent and fees.
    expect(orders[0]?.amountIn).toBeGreaterThanOrEqual(100_000_000n);
    expect(orders[0]?.amountIn).toBeLessThan(110_000_000n);
    // Pressed again later: still the same order.
    const later = await alice.press(aliceCard, data);
    expect(later.text).toMatch(/Already placed/);
    expect(await ordersOf(aliceUserId)).toHaveLength(1);
  });

  it("lists positions with P&L and sells 50% by button", async () => {
    const asked = alice.say("/positions");
    const position = await alice.nextBotMessage(/P&L|P&amp;L/, asked.message_id);
    expect(position.text).toContain(mintOf("BONKY"));
    const bought = (await ordersOf(aliceUserId))[0]?.amountOut ?? 0n;
    expect(bought).toBeGreaterThan(0n);
    const answer = await alice.press(position, buttonData(position, /^Sell 50%$/));
    expect(answer.text).toMatch(/Sell 50%/);
    const sold = await alice.nextBotMessage(/✅ Sold/, position.message_id);
    expect(sold.text).toMatch(/for [\d.]+ SOL/);
    const sell = (await ordersOf(aliceUserId)).find((order) => order.side === "sell");
    expect(sell).toMatchObject({ status: "CONFIRMED", amountIn: bought / 2n });
    const again = alice.say("/positions");
    const after = await alice.nextBotMessage(/P&L|P&amp;L/, again.message_id);
    expect(after.text).toContain(mintOf("BONKY"));
    const orders = alice.say("/orders");
    const listed = await alice.nextBotMessage(/Latest orders/, orders.message_id);
    expect(listed.text?.match(/CONFIRMED/g)).toHaveLength(2);
  });

  it("shows a honeypot's reasons and no buy button", async () => {
    const card = await cardFor(alice, riskyMint("FREEZE"));
    expect(card.text).toContain("block");
    expect(card.text).toContain("freeze_authority");
    const labels = (card.reply_markup?.inline_keyboard ?? []).flat().map((button) => button.text);
    expect(labels.filter((label) => /Buy/.test(label))).toEqual([]);
    // A forged buy press on it (data the bot would not have put there) buys nothing.
    const forged = await alice.press(card, `b.100000000.${alice.user.id}`);
    expect(forged.text).toMatch(/blocked/);
    expect(await ordersOf(aliceUserId)).toHaveLength(2);
  });

  it("asks a warn token's buyer to confirm, listing the reasons", async () => {
    const card = await cardFor(alice, riskyMint("PRINT"));
    expect(card.text).toContain("warn");
    const answer = await alice.press(card, buttonData(card, /^Buy 0\.1 SOL$/));
    expect(answer.text ?? "").not.toMatch(/placing/);
    const confirm = await alice.nextBotMessage(/despite/, card.message_id);
    expect(confirm.text).toContain("mint_authority");
    expect(await ordersOf(aliceUserId)).toHaveLength(2);
    await alice.press(confirm, buttonData(confirm, /^Yes, buy/));
    await alice.nextBotMessage(/Bought/, confirm.message_id);
    expect(await ordersOf(aliceUserId)).toHaveLength(3);
  });

  it("buys a typed amount (Buy X SOL)", async () => {
    const card = await cardFor(alice, mintOf("GLIDE"));
    await alice.press(card, buttonData(card, /^Buy X SOL$/));
    const prompt = await alice.nextBotMessage(/How much SOL/, card.message_id);
    env.emulator.reply(alice.user, prompt, "lots");
    await alice.nextBotMessage(/not an amount of SOL/, prompt.message_id);
    env.emulator.reply(alice.user, prompt, "0.05");
    const bought = await alice.nextBotMessage(/Bought/, prompt.message_id);
    expect(bought.text).toMatch(/for 0\.05\d* SOL/);
  });

  it("gives a second user none of the first's data", async () => {
    const bob = await startedChatUser(env, "Bob");
    const bobUserId = (await env.server.app.store.telegram.findAccount(String(bob.user.id)))
      ?.userId;
    expect(bobUserId).toBeDefined();
    expect(bobUserId).not.toBe(aliceUserId);
    const positions = bob.say("/positions");
    await bob.nextBotMessage(/No open positions/, positions.message_id);
    const orders = bob.say("/orders");
    await bob.nextBotMessage(/No orders yet/, orders.message_id);
    const wallet = bob.say("/wallet");
    const answer = await bob.nextBotMessage(/no wallet yet/, wallet.message_id);
    expect(answer.text).not.toContain(env.sandbox.stack.ready.mints.BONKY);
    // Bob has no session: his own card's buy asks him to unlock, and nothing is placed.
    const card = await cardFor(bob, mintOf("BONKY"));
    const refused = await bob.press(card, buttonData(card, /^Buy 0\.1 SOL$/));
    expect(refused.text).toMatch(/No wallet is unlocked/);
    // Alice's card pressed by Bob (its buttons carry Alice's id).
    const foreign = await bob.press(aliceCard, buttonData(aliceCard, /^Buy 0\.5 SOL$/));
    expect(foreign.text).toMatch(/someone else/);
    expect(await ordersOf(String(bobUserId))).toHaveLength(0);
    expect(await ordersOf(aliceUserId)).toHaveLength(4);
  });

  it("deletes a pasted secret key and recovery phrase, and warns", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const seed = privateKey.export({ format: "der", type: "pkcs8" }).subarray(-32);
    const pub = publicKey.export({ format: "der", type: "spki" }).subarray(-32);
    const secret = getBase58Decoder().decode(new Uint8Array([...seed, ...pub]));
    const pasted = alice.say(`my key ${secret}`);
    const warning = await alice.nextBotMessage(/deleted it/, pasted.message_id);
    expect(warning.text).toContain("secret key");
    expect(
      env.emulator.messages(alice.chat.id).find((m) => m.message_id === pasted.message_id)?.deleted,
    ).toBe(true);
    expect(env.server.logs.text()).not.toContain(secret);
    // Said harmlessly, then edited into a key: the edit is caught too.
    const edited = alice.say("my key is coming");
    env.emulator.edit(alice.user, edited, secret);
    await alice.nextBotMessage(/deleted it/, warning.message_id);
    expect(
      env.emulator.messages(alice.chat.id).find((m) => m.message_id === edited.message_id)?.deleted,
    ).toBe(true);
    const phrase = generateMnemonic(wordlist);
    const said = alice.say(phrase);
    const warned = await alice.nextBotMessage(/recovery phrase/, said.message_id);
    expect(warned.text).toContain("deleted it");
    expect(
      env.emulator.messages(alice.chat.id).find((m) => m.message_id === said.message_id)?.deleted,
    ).toBe(true);
  });

  it("answers bad input clearly and changes nothing", async () => {
    const before = (await ordersOf(aliceUserId)).length;
    const garbage = alice.say("hello there, what is this?");
    await alice.nextBotMessage(/didn't understand/, garbage.message_id);
    const unknown = alice.say((await generateKeyPairSigner()).address);
    await alice.nextBotMessage(/No token found/, unknown.message_id);
    const symbol = alice.say("NOSUCHCOIN");
    await alice.nextBotMessage(/No token found/, symbol.message_id);
    const command = alice.say("/frobnicate");
    await alice.nextBotMessage(/don't know that command/, command.message_id);
    const badSettings = alice.say("/settings slippage lots");
    await alice.nextBotMessage(/Slippage is one percentage/, badSettings.message_id);
    // Stale buttons: data this bot never wrote, and a card from long ago.
    expect((await alice.press(aliceCard, "zz.1")).text).toMatch(/out of date/);
    const old = { ...aliceCard, date: aliceCard.date - 3_600 };
    expect((await alice.press(old, buttonData(aliceCard, /^Buy 1 SOL$/))).text).toMatch(
      /out of date/,
    );
    // In a group, a card's buttons belong to whoever asked for it.
    const group = env.emulator.createGroup("traders");
    const card = await cardFor(alice, mintOf("BONKY"), group);
    const carol = chatUser(env, "Carol");
    const refused = await carol.press(card, buttonData(card, /^Buy 0\.1 SOL$/));
    expect(refused.text).toMatch(/someone else/);
    expect((await ordersOf(aliceUserId)).length).toBe(before);
    const settings = await env.server.app.store.settings.find(aliceUserId as UserId);
    expect(settings).toBeUndefined();
  });

  it("changes settings from the chat", async () => {
    const asked = alice.say("/settings slippage 2.5");
    const saved = await alice.nextBotMessage(/Saved/, asked.message_id);
    expect(saved.text).toContain("Slippage: 2.5%");
    const presets = alice.say("/settings presets 0.2 1");
    await alice.nextBotMessage(/Buy buttons: 0\.2 SOL, 1 SOL/, presets.message_id);
  });

  it("locks the chat's session: buttons then ask to unlock", async () => {
    const asked = alice.say("/lock");
    await alice.nextBotMessage(/Locked/, asked.message_id);
    const card = await cardFor(alice, mintOf("BONKY"));
    const refused = await alice.press(card, buttonData(card, /^Buy 0\.2 SOL$/));
    expect(refused.text).toMatch(/No wallet is unlocked/);
  });

  it("drops the chat's hold when the session is locked in the terminal", async () => {
    const { web } = await unlockThroughWeb(env, alice);
    expect((await web.call("GET", "/v1/telegram")).body.chatSession).not.toBeNull();
    expect((await web.call("DELETE", "/v1/sessions/current")).status).toBe(204);
    expect((await web.call("GET", "/v1/telegram")).body.chatSession).toBeNull();
    const card = await cardFor(alice, mintOf("BONKY"));
    const refused = await alice.press(card, buttonData(card, /^Buy 0\.2 SOL$/));
    expect(refused.text).toMatch(/No wallet is unlocked/);
    expect(alice.botMessages(/Buy 0\.2 SOL of/)).toHaveLength(0);
  });
});
