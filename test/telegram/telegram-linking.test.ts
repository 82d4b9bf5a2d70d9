import { describe, expect, it } from "vitest";
import type { UserId } from "../../src/core/ids.js";
import { createCookieClient } from "../support/cookie-client.js";
import { useTestApp } from "../support/use-test-app.js";
import {
  type ChatUser,
  chatUser,
  unlockThroughWeb,
  useTelegramApp,
} from "./support/telegram-setup.js";

// Linking one Telegram account to one Osprey user, from either side, and what the routes refuse:
// a code used twice or never issued, a second link, a handoff with no link or no session, a web
// login with a bad token, an API key where a login is needed, and a server with no bot at all.

const LINKED = /^Linked: this chat now trades/;
const NOT_VALID = /That link code is not valid/;
const ALREADY_LINKED = /already linked to an Osprey user/;

/** A web user logged in with the cookie session, and their user id. */
async function webUser(url: string, name: string) {
  const web = createCookieClient(url);
  const login = await web.logIn(name);
  return { web, userId: String((login.body.user as { id: string }).id) as UserId };
}

describe("linking a Telegram account", () => {
  const env = useTelegramApp();
  const store = () => env.server.app.store;
  // wendy (web) links Tina (Telegram) in the first test; the others rely on that link.
  let wendy: Awaited<ReturnType<typeof webUser>>;
  let tina: ChatUser;

  it("links a web user with a one-time code sent as /start <code>, used once", async () => {
    wendy = await webUser(env.server.url, "wendy");
    const { web, userId } = wendy;
    expect((await web.call("GET", "/v1/telegram")).body).toMatchObject({
      enabled: true,
      botUsername: "osprey_test_bot",
      linked: false,
      telegramUsername: null,
    });
    const issued = await web.call("POST", "/v1/telegram/link-code", {});
    expect(issued.status).toBe(200);
    const code = String(issued.body.code);
    expect(code).toMatch(/^otl_[A-Za-z0-9_-]{43}$/);
    expect(issued.body.startLink).toBe(`https://t.me/osprey_test_bot?start=${code}`);
    const ttl = Date.parse(String(issued.body.expiresAt)) - Date.now();
    expect(ttl).toBeGreaterThan(9 * 60_000);
    expect(ttl).toBeLessThanOrEqual(10 * 60_000);

    tina = chatUser(env, "Tina");
    const started = tina.say(`/start ${code}`);
    await tina.nextBotMessage(LINKED, started.message_id);
    expect(await store().telegram.findAccountOfUser(userId)).toMatchObject({
      telegramUserId: String(tina.user.id),
      chatId: String(tina.chat.id),
      username: "tina",
    });
    expect((await web.call("GET", "/v1/telegram")).body).toMatchObject({
      enabled: true,
      linked: true,
      telegramUsername: "tina",
      chatSession: null,
    });

    // The same code from someone else: used already, nobody is linked or made.
    const users = await store().users.count();
    const mallory = chatUser(env, "Mallory");
    const replayed = mallory.say(`/start ${code}`);
    await mallory.nextBotMessage(NOT_VALID, replayed.message_id);
    expect(await store().telegram.findAccount(String(mallory.user.id))).toBeUndefined();
    expect((await store().telegram.findAccountOfUser(userId))?.telegramUserId).toBe(
      String(tina.user.id),
    );
    // A code that was never issued.
    const guessed = mallory.say("/start nonsense");
    await mallory.nextBotMessage(NOT_VALID, guessed.message_id);
    expect(await store().telegram.findAccount(String(mallory.user.id))).toBeUndefined();
    expect(await store().users.count()).toBe(users);
    expect(mallory.botMessages(LINKED)).toHaveLength(0);
  });

  it("refuses a second link from either side, and leaves the code unused", async () => {
    const again = await wendy.web.call("POST", "/v1/telegram/link-code", {});
    expect([again.status, again.body.error?.code]).toEqual([409, "TELEGRAM_ALREADY_LINKED"]);

    // Tina (linked to wendy) sends another user's code: refused before the code is looked at.
    const victor = await webUser(env.server.url, "victor");
    const issued = await victor.web.call("POST", "/v1/telegram/link-code", {});
    const code = String(issued.body.code);
    const sent = tina.say(`/start ${code}`);
    await tina.nextBotMessage(ALREADY_LINKED, sent.message_id);
    expect((await store().telegram.findAccount(String(tina.user.id)))?.userId).toBe(wendy.userId);
    expect(await store().telegram.findAccountOfUser(victor.userId)).toBeUndefined();

    // The code still works for a Telegram account that is not linked.
    const uma = chatUser(env, "Uma");
    const started = uma.say(`/start ${code}`);
    await uma.nextBotMessage(LINKED, started.message_id);
    expect((await store().telegram.findAccountOfUser(victor.userId))?.telegramUserId).toBe(
      String(uma.user.id),
    );
  });

  it("hands a session to the chat only for a linked user with an unlocked session", async () => {
    const nora = await webUser(env.server.url, "nora");
    const unlinked = await nora.web.call("POST", "/v1/telegram/session", {});
    expect([unlinked.status, unlinked.body.error?.code]).toEqual([409, "TELEGRAM_NOT_LINKED"]);

    // wendy is linked (to Tina) but has unlocked no wallet.
    const noSession = await wendy.web.call("POST", "/v1/telegram/session", {});
    expect([noSession.status, noSession.body.error?.code]).toEqual([401, "SESSION_NOT_FOUND"]);
    expect(await env.server.app.telegram?.chatSessions.get(wendy.userId)).toBeNull();
    expect(tina.botMessages(/unlocked for this chat/)).toHaveLength(0);
    expect((await wendy.web.call("GET", "/v1/telegram")).body.chatSession).toBeNull();

    const deleted = await nora.web.call("DELETE", "/v1/telegram");
    expect([deleted.status, deleted.body.error?.code]).toEqual([409, "TELEGRAM_NOT_LINKED"]);
  });

  it("refuses a web login with a bad token and sets no cookie", async () => {
    const web = createCookieClient(env.server.url);
    const cases: [string, unknown][] = [
      ["malformed", { token: "not a token" }],
      ["unknown", { token: `otw_${"A".repeat(43)}` }],
      ["a link code", { token: `otl_${"A".repeat(43)}` }],
    ];
    for (const [what, body] of cases) {
      const refused = await web.call("POST", "/v1/telegram/web-login", body);
      expect([what, refused.status, refused.body.error?.code]).toEqual([
        what,
        400,
        "TELEGRAM_TOKEN_INVALID",
      ]);
      expect(web.lastSetCookies()).toEqual([]);
    }
    // An empty body, and none at all.
    for (const body of [{}, undefined]) {
      const refused = await web.call("POST", "/v1/telegram/web-login", body);
      expect([refused.status, refused.body.error?.code]).toEqual([400, "INVALID_INPUT"]);
      expect(web.lastSetCookies()).toEqual([]);
    }
    expect(web.jar.size).toBe(0);
    expect((await web.call("GET", "/v1/telegram")).status).toBe(401);
  });

  it("keeps link codes and unlinking to a login: an API key gets 403", async () => {
    const { web } = await webUser(env.server.url, "kai");
    const created = await web.call("POST", "/v1/api-keys", { name: "script", scope: "full" });
    expect(created.status).toBe(201);
    const bearer = { authorization: `Bearer ${String(created.body.key)}` };
    const api = createCookieClient(env.server.url);
    for (const method of ["POST", "DELETE"] as const) {
      const path = method === "POST" ? "/v1/telegram/link-code" : "/v1/telegram";
      const refused = await api.call(method, path, method === "POST" ? {} : undefined, bearer);
      expect([method, refused.status, refused.body.error?.code]).toEqual([
        method,
        403,
        "LOGIN_REQUIRED",
      ]);
    }
    // The key may read the status, which says kai is not linked.
    const status = await api.call("GET", "/v1/telegram", undefined, bearer);
    expect(status.body).toMatchObject({ enabled: true, linked: false });
  });

  it("unlinks: the chat can do nothing more, and an earlier /unlock link no longer logs in", async () => {
    const ulla = chatUser(env, "Ulla");
    const started = ulla.say("/start");
    await ulla.nextBotMessage(/Welcome to Osprey/, started.message_id);
    const { web, userId, walletId } = await unlockThroughWeb(env, ulla);
    expect(await env.server.app.telegram?.chatSessions.get(userId as UserId)).toMatchObject({
      walletId,
    });
    // A second link, issued while linked and never used.
    const asked = ulla.say("/unlock");
    const link = await ulla.nextBotMessage(/#\/telegram\/otw_/, asked.message_id);
    const token = /#\/telegram\/(otw_[A-Za-z0-9_-]{43})/.exec(link.text ?? "")?.[1] ?? "";

    const unlinked = await web.call("DELETE", "/v1/telegram");
    expect(unlinked.status).toBe(204);
    expect(await store().telegram.findAccount(String(ulla.user.id))).toBeUndefined();
    expect(await env.server.app.telegram?.chatSessions.get(userId as UserId)).toBeNull();
    expect((await web.call("GET", "/v1/telegram")).body).toMatchObject({
      linked: false,
      telegramUsername: null,
      chatSession: null,
    });

    const wallet = ulla.say("/wallet");
    await ulla.nextBotMessage(/not linked yet/, wallet.message_id);
    const fresh = createCookieClient(env.server.url);
    const refused = await fresh.call("POST", "/v1/telegram/web-login", { token });
    expect([refused.status, refused.body.error?.code]).toEqual([400, "TELEGRAM_TOKEN_INVALID"]);
    expect(fresh.jar.size).toBe(0);
    // Unlinking twice: there is nothing left to unlink.
    const again = await web.call("DELETE", "/v1/telegram");
    expect([again.status, again.body.error?.code]).toEqual([409, "TELEGRAM_NOT_LINKED"]);
  });
});

describe("Telegram routes on a server without a bot", () => {
  const app = useTestApp();

  it("answers 501 TELEGRAM_DISABLED, and the status says the bot is off", async () => {
    const web = createCookieClient(app.server.url);
    await web.logIn("olive");
    const calls: [string, string, unknown][] = [
      ["POST", "/v1/telegram/link-code", {}],
      ["POST", "/v1/telegram/session", {}],
      ["POST", "/v1/telegram/web-login", { token: `otw_${"A".repeat(43)}` }],
      ["DELETE", "/v1/telegram", undefined],
    ];
    for (const [method, path, body] of calls) {
      const answer = await web.call(method, path, body);
      expect([path, answer.status, answer.body.error?.code]).toEqual([
        path,
        501,
        "TELEGRAM_DISABLED",
      ]);
    }
    const status = await web.call("GET", "/v1/telegram");
    expect(status.status).toBe(200);
    expect(status.body).toEqual({
      enabled: false,
      botUsername: null,
      linked: false,
      telegramUsername: null,
      linkedAt: null,
      chatSession: null,
    });
  });
});
