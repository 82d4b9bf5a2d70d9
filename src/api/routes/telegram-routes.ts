import { z } from "zod";
import type { AccountService } from "../../accounts/account-service.js";
import type { UserId } from "../../core/ids.js";
import { OspreyError } from "../../core/osprey-error.js";
import type { Store } from "../../store/store.js";
import type { Telegram } from "../../telegram/create-telegram.js";
import type { SessionManager } from "../../wallet/session-types.js";
import type { RouteModule } from "../api-types.js";
import { getPrincipal } from "../auth-guard.js";
import type { RequireAccess } from "../route-access.js";
import { setLoginCookies } from "../web-session.js";
import { getSessionToken } from "./wallet-routes.js";

export interface TelegramRoutesOptions {
  /** Null when TELEGRAM_BOT_TOKEN is unset: the routes answer 501 TELEGRAM_DISABLED. */
  readonly telegram: Telegram | null;
  readonly accounts: AccountService;
  readonly sessions: SessionManager;
  readonly store: Store;
  readonly requireAccess: RequireAccess;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The web terminal's side of the bot: a one-time link from the chat logs the terminal in, the
 * session unlocked there is handed to the chat, and a web user links a Telegram account with a
 * one-time code. Secrets (passwords, keys) only ever pass here, never through the chat.
 */
export function createTelegramRoutes(options: TelegramRoutesOptions): RouteModule {
  const { telegram, accounts, sessions, store, requireAccess } = options;
  const limits = { bucket: "telegram", perAddress: { limit: 30, windowMs: 60_000 } };
  const enabled = () => {
    if (!telegram) throw new OspreyError("TELEGRAM_DISABLED");
    return telegram;
  };
  const linkedAccount = async (userId: UserId) => {
    const account = await store.telegram.findAccountOfUser(userId);
    if (!account) throw new OspreyError("TELEGRAM_NOT_LINKED");
    return account;
  };

  /** The chat's hold, if its session is still live (locked, idle or logged out: released). */
  const liveHold = async (bot: Telegram, userId: UserId) => {
    const held = await bot.chatSessions.get(userId);
    if (!held) return null;
    if (await sessions.peek(held.token, userId)) return held;
    await bot.chatSessions.release(userId);
    return null;
  };

  return (app) => {
    app.post(
      "/v1/telegram/web-login",
      {
        onRequest: requireAccess("public", limits),
        schema: {
          tags: ["telegram"],
          summary: "Log the web terminal in with a one-time link the bot sent (/unlock)",
          description:
            'body {token}: the `otw_…` token of the link `#/telegram/<token>`. Used once, within 10 minutes; sets the same cookies as POST /v1/auth/login with session "cookie" and answers {expiresAt, csrfToken, user}. 400 TELEGRAM_TOKEN_INVALID otherwise (nothing changes).',
          body: z.strictObject({ token: z.string() }),
        },
      },
      async (request, reply) => {
        const record = await enabled().links.redeemWebLink(request.body.token);
        const { token, expiresAt, userId } = await accounts.issueLoginToken(
          record.userId,
          "telegram",
        );
        const csrfToken = setLoginCookies(request, reply, token, expiresAt);
        return { expiresAt: iso(expiresAt), csrfToken, user: await accounts.getProfile(userId) };
      },
    );

    app.get(
      "/v1/telegram",
      {
        onRequest: requireAccess("read"),
        schema: {
          tags: ["telegram"],
          summary:
            "Whether Telegram is on, the linked account, and the session the chat trades with",
        },
      },
      async (request) => {
        const { userId } = getPrincipal(request);
        const account = await store.telegram.findAccountOfUser(userId);
        const held = telegram && account ? await liveHold(telegram, userId) : null;
        return {
          enabled: telegram !== null,
          botUsername: telegram?.botUsername() ?? null,
          linked: account !== undefined,
          telegramUsername: account?.username ?? null,
          linkedAt: account ? iso(account.linkedAt) : null,
          chatSession: held && {
            walletId: held.walletId,
            publicKey: held.publicKey,
            expiresAt: iso(held.expiresAt),
          },
        };
      },
    );

    app.post(
      "/v1/telegram/session",
      {
        onRequest: requireAccess("trade"),
        schema: {
          tags: ["telegram"],
          summary: "Let the linked Telegram chat trade with this trading session",
          description:
            "The session unlocked in the terminal (osprey_trading cookie or X-Trading-Session) becomes the one the chat's buttons place orders with, until it ends (idle or absolute limit), is locked, or the login that opened it logs out. The chat holds it sealed, never in the clear. Answers {walletId, publicKey, expiresAt}. 409 TELEGRAM_NOT_LINKED, 401 SESSION_NOT_FOUND.",
          body: z.strictObject({}).optional(),
        },
      },
      async (request) => {
        const bot = enabled();
        const { userId } = getPrincipal(request);
        const account = await linkedAccount(userId);
        const sessionToken = getSessionToken(request);
        const held = await sessions.withKey(sessionToken, userId, async (key) => ({
          walletId: key.walletId,
          publicKey: key.publicKey,
          expiresAt: key.absoluteExpiresAt,
          token: sessionToken,
        }));
        await bot.chatSessions.hold(userId, held);
        await bot.announceSession(account, held);
        return {
          walletId: held.walletId,
          publicKey: held.publicKey,
          expiresAt: iso(held.expiresAt),
        };
      },
    );

    app.post(
      "/v1/telegram/link-code",
      {
        onRequest: requireAccess("login", limits),
        schema: {
          tags: ["telegram"],
          summary: "A one-time code that links a Telegram account to this user",
          description:
            "Send it to the bot as `/start <code>` (or open startLink) within 10 minutes; used once. A new code ends the previous one. 409 TELEGRAM_ALREADY_LINKED when a Telegram account is linked already.",
          body: z.strictObject({}).optional(),
        },
      },
      async (request) => {
        const bot = enabled();
        const { code, expiresAt } = await bot.links.issueLinkCode(getPrincipal(request).userId);
        const username = bot.botUsername();
        return {
          code,
          expiresAt: iso(expiresAt),
          startLink: username ? `https://t.me/${username}?start=${code}` : null,
        };
      },
    );

    app.delete(
      "/v1/telegram",
      {
        onRequest: requireAccess("login"),
        schema: {
          tags: ["telegram"],
          summary: "Unlink the Telegram account; the chat can trade no more",
        },
      },
      async (request, reply) => {
        const bot = enabled();
        const { userId } = getPrincipal(request);
        const account = await linkedAccount(userId);
        await bot.chatSessions.release(userId);
        await store.telegram.unlink(account.telegramUserId);
        return reply.status(204).send();
      },
    );
  };
}
