import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BotApiEmulator, startBotApiEmulator } from "../telegram/support/bot-api-emulator.js";
import {
  createWallet,
  expectAccessible,
  getFromPage,
  inPage,
  pageErrors,
  register,
  screenshot,
  startTerminal,
  type Terminal,
  UI_TIMEOUT,
  unlockFromBar,
} from "./support/terminal.js";

const BOT_TOKEN = "7000000001:osprey-web-test-token-abcdefghij";
const EXPIRED =
  "This link has expired or was already used. Ask the bot for a new one with /unlock.";

interface TelegramStatus {
  enabled: boolean;
  linked: boolean;
  telegramUsername: string | null;
  chatSession: { walletId: string; publicKey: string; expiresAt: string } | null;
}

let emulator: BotApiEmulator;
let terminal: Terminal;
beforeAll(async () => {
  emulator = await startBotApiEmulator({ token: BOT_TOKEN, botUsername: "osprey_test_bot" });
  terminal = await startTerminal(
    {},
    { TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_API_ROOT: emulator.apiRoot },
  );
}, 120_000);
afterAll(async () => {
  await terminal?.close();
  await emulator?.close();
});

type EmulatedUser = ReturnType<BotApiEmulator["createUser"]>["user"];

/** The bot's newest message in the chat whose text matches, once it has sent one. */
const botReply = (chatId: number, pattern: RegExp, what: string) =>
  emulator.waitFor(
    () =>
      emulator
        .botMessages(chatId)
        .filter((message) => pattern.test(message.text ?? ""))
        .at(-1),
    UI_TIMEOUT,
    what,
  );

/** Settings → Telegram → "Link Telegram", then the chat sends the bot `/start <code>`. */
async function linkThroughBot(page: Page, name: string) {
  await page.goto(`${terminal.server.url}/#/settings`);
  const panel = page.locator("section[data-telegram='unlinked']");
  await panel.getByRole("button", { name: "Link Telegram" }).click();
  const code = (await panel.locator("code[data-telegram-code]").textContent()) ?? "";
  const { user, chat } = emulator.createUser(name, `${name}_tg`);
  emulator.say(user, `/start ${code}`);
  await botReply(chat.id, /^Linked: this chat now trades for your Osprey account/, "the link");
  // The page notices by itself.
  await page
    .locator(`section[data-telegram='linked'] [data-telegram-username='${name}_tg']`)
    .waitFor();
  return { user, chat, code };
}

/** A web user with a wallet and a linked chat. */
async function linkedUser(name: string) {
  const page = await terminal.newPage();
  await register(page, name);
  const card = await createWallet(page, `${name} wallet`);
  const walletId = (await card.getAttribute("data-wallet-id")) ?? "";
  const publicKey = (await card.getAttribute("data-public-key")) ?? "";
  const { user, chat } = await linkThroughBot(page, name);
  return { page, walletId, publicKey, user, chat };
}

/** `/unlock` in the chat: the bot answers with a one-time link to the terminal. */
async function unlockLinkFromBot(user: EmulatedUser): Promise<string> {
  const before = emulator.botMessages(user.id).length;
  emulator.say(user, "/unlock");
  const reply = await emulator.waitFor(
    () =>
      emulator
        .botMessages(user.id)
        .slice(before)
        .find((m) => m.text?.includes("/#/telegram/")),
    UI_TIMEOUT,
    "the unlock link",
  );
  const link = /(\S+\/#\/telegram\/\S+)/.exec(reply.text ?? "")?.[1] ?? "";
  expect(link).toMatch(/\/#\/telegram\/otw_[A-Za-z0-9_-]{43}$/);
  return link;
}

/** Opens `url` as a tab opened from the chat would: a new document, no login of its own. */
async function openFresh(url: string): Promise<Page> {
  const page = await terminal.newPage();
  // A full load, as from another app (not a hash change in a page already open).
  await page.goto("about:blank");
  await page.goto(url);
  await page.waitForSelector("html[data-ready='1']");
  return page;
}

const statusOf = (page: Page) => getFromPage<TelegramStatus>(page, "/v1/telegram");

describe("the Telegram bot's links in the terminal", () => {
  it("logs in with the bot's /unlock link, drops the token from the address, hands the unlocked session to the chat; the link works once", async () => {
    const { walletId, publicKey, user, chat } = await linkedUser("tess");
    const link = await unlockLinkFromBot(user);
    const token = link.split("/").pop() ?? "";

    const page = await openFresh(link);
    await page.getByRole("navigation", { name: "Main" }).waitFor();
    expect(await page.locator(".top .username").textContent()).toBe("tess");
    // The token is gone from the address bar and from the history entry.
    expect(page.url()).toBe(`${terminal.server.url}/#/wallets`);
    expect(await inPage<string>(page, "location.href")).not.toContain(token);
    await page.getByRole("heading", { name: "tess wallet" }).waitFor();

    // Opened from the chat: unlocking hands the session over without asking.
    expect((await statusOf(page)).chatSession).toBeNull();
    await unlockFromBar(page);
    const held = page.locator(`[data-telegram-session='${walletId}']`);
    await held.waitFor();
    expect(await held.textContent()).toMatch(
      /^Unlocked for your Telegram chat until .+\. You can close this tab\.$/,
    );
    const status = await statusOf(page);
    expect(status.linked).toBe(true);
    expect(status.chatSession).toMatchObject({ walletId, publicKey });
    // The chat is told, with the wallet's address.
    await botReply(
      chat.id,
      new RegExp(`^🔓 Wallet ${publicKey} is unlocked for this chat`),
      "the handoff",
    );
    await expectAccessible(page, "terminal opened from Telegram, session handed over");
    await screenshot(page, "telegram-handoff");
    expect(pageErrors(page)).toEqual([]);

    // The same link a second time: refused, said so, and the login screen.
    const again = await openFresh(link);
    const refusal = again.locator("#login-link-error[data-code='TELEGRAM_TOKEN_INVALID']");
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain(EXPIRED);
    await again.getByRole("heading", { name: "Log in" }).waitFor();
    expect(again.url()).toBe(`${terminal.server.url}/#/wallets`);
    expect(await getFromPage(again, "/v1/me")).toMatchObject({
      error: { code: "UNAUTHENTICATED" },
    });
    await expectAccessible(again, "login screen after a used link");
  }, 90_000);

  it("offers a linked user who logged in with a password to use the unlocked session in Telegram", async () => {
    const { page, walletId, chat } = await linkedUser("uma");
    await unlockFromBar(page);
    const offer = page.getByRole("button", { name: "Use this session in Telegram" });
    await offer.waitFor();
    // Not opened from the chat: nothing is handed over until asked.
    expect((await statusOf(page)).chatSession).toBeNull();
    await offer.click();
    await page.locator(`[data-telegram-session='${walletId}']`).waitFor();
    expect((await statusOf(page)).chatSession?.walletId).toBe(walletId);
    expect(await offer.count()).toBe(0);
    await botReply(chat.id, /^🔓 Wallet \S+ is unlocked for this chat/, "the handoff");
    // Settings shows the chat's session too.
    await page.goto(`${terminal.server.url}/#/settings`);
    await page
      .locator(`section[data-telegram='linked'] [data-chat-session='${walletId}']`)
      .waitFor();
  }, 60_000);

  it("links from Settings with a code for the bot, then unlinks after a confirmation", async () => {
    const page = await terminal.newPage();
    await register(page, "lena");
    await page.goto(`${terminal.server.url}/#/settings`);
    const panel = page.locator("section[data-telegram='unlinked']");
    await panel.getByRole("button", { name: "Link Telegram" }).click();
    const code = panel.locator("code[data-telegram-code]");
    const text = (await code.textContent()) ?? "";
    expect(text).toMatch(/^otl_[A-Za-z0-9_-]{43}$/);
    expect(await panel.textContent()).toContain(
      `Send /start ${text} to @osprey_test_bot within 10 minutes`,
    );
    expect(
      await panel.getByRole("link", { name: /Open @osprey_test_bot/ }).getAttribute("href"),
    ).toBe(`https://t.me/osprey_test_bot?start=${text}`);
    await expectAccessible(page, "settings with a Telegram link code");
    await screenshot(page, "telegram-link-code");

    // The chat sends the code; the page notices by itself.
    const { user, chat } = emulator.createUser("Lena", "lena_tg");
    emulator.say(user, `/start ${text}`);
    await botReply(chat.id, /^Linked: /, "the link");
    const linked = page.locator("section[data-telegram='linked']");
    await linked.locator("[data-telegram-username='lena_tg']").waitFor();
    expect(await statusOf(page)).toMatchObject({ linked: true, telegramUsername: "lena_tg" });

    await linked.getByRole("button", { name: "Unlink" }).click();
    const dialog = page.getByRole("dialog", { name: "Unlink Telegram?" });
    await dialog.getByRole("button", { name: "Keep the link" }).click();
    await dialog.waitFor({ state: "hidden" });
    expect((await statusOf(page)).linked).toBe(true);
    await linked.getByRole("button", { name: "Unlink" }).click();
    await dialog.getByRole("button", { name: "Unlink" }).click();
    await page.locator("section[data-telegram='unlinked']").waitFor();
    expect((await statusOf(page)).linked).toBe(false);
    // The chat is a stranger again: /unlock gives no link.
    const before = emulator.botMessages(chat.id).length;
    emulator.say(user, "/unlock");
    const answer = await emulator.waitFor(
      () => emulator.botMessages(chat.id).slice(before)[0],
      UI_TIMEOUT,
      "the answer to /unlock",
    );
    expect(answer.text).not.toContain("/#/telegram/");
    expect(pageErrors(page)).toEqual([]);
  }, 60_000);

  it("refuses a garbage link with the message and changes nothing", async () => {
    // A browser with no login: the login screen, with the reason.
    const page = await openFresh(`${terminal.server.url}/#/telegram/otw_not-a-real-token`);
    await page.locator("#login-link-error[data-code='TELEGRAM_TOKEN_INVALID']").waitFor();
    expect(await page.locator("#login-link-error").textContent()).toContain(EXPIRED);
    await page.getByRole("heading", { name: "Log in" }).waitFor();
    expect(page.url()).toBe(`${terminal.server.url}/#/wallets`);
    expect(await inPage<string>(page, "document.cookie")).toBe("");

    // A well-formed token nobody issued, in a tab logged in already: same user, same login.
    const logged = await terminal.newPage();
    await register(logged, "gary");
    const loginCookie = async () =>
      (await logged.context().cookies()).find((cookie) => cookie.name === "osprey_session")?.value;
    const before = await loginCookie();
    await logged.goto(`${terminal.server.url}/#/telegram/otw_${"A".repeat(43)}`);
    await logged.locator("#login-link-error[data-code='TELEGRAM_TOKEN_INVALID']").waitFor();
    expect(await logged.locator("#login-link-error").textContent()).toContain(EXPIRED);
    expect(await logged.locator(".top .username").textContent()).toBe("gary");
    expect(logged.url()).toBe(`${terminal.server.url}/#/wallets`);
    expect(await loginCookie()).toBe(before);
    expect(await getFromPage(logged, "/v1/me")).toMatchObject({ username: "gary" });
    await logged.getByRole("button", { name: "Dismiss" }).click();
    expect(await logged.locator("#login-link-error").count()).toBe(0);
    expect(pageErrors(logged)).toEqual([]);
  }, 60_000);
});
