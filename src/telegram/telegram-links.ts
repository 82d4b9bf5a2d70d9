import type { AccountService } from "../accounts/account-service.js";
import type { UserId } from "../core/ids.js";
import { isOspreyError, OspreyError } from "../core/osprey-error.js";
import type { TelegramAccountRecord } from "../store/repositories/telegram-repository.js";
import type { Store } from "../store/store.js";
import type { TelegramTokens } from "./one-time-tokens.js";

/** How long a link code (web → bot) and a web link (bot → terminal) can be used. */
export const LINK_CODE_TTL_MS = 10 * 60_000;
export const WEB_LINK_TTL_MS = 10 * 60_000;

export interface TelegramIdentity {
  readonly telegramUserId: string;
  readonly chatId: string;
  readonly username: string | null;
}

export type StartOutcome =
  /** A new Osprey account was made for this Telegram account. */
  | { readonly kind: "created"; readonly account: TelegramAccountRecord }
  /** An existing web user's code linked this Telegram account to them. */
  | { readonly kind: "linked"; readonly account: TelegramAccountRecord }
  /** Already linked: nothing changed. */
  | { readonly kind: "known"; readonly account: TelegramAccountRecord };

/**
 * `/start`: one Telegram account to one Osprey user. Without a code a new user is made (named
 * `tg<id>`, without a password: the terminal is reached through the bot's one-time links); with
 * a web user's link code the account is linked to them.
 */
export function createTelegramLinks(deps: {
  store: Pick<Store, "telegram" | "users">;
  accounts: Pick<AccountService, "registerWithoutPassword">;
  tokens: TelegramTokens;
}) {
  const { store, accounts, tokens } = deps;

  async function createUserFor(identity: TelegramIdentity): Promise<UserId> {
    for (let attempt = 0; ; attempt++) {
      const username =
        attempt === 0 ? `tg${identity.telegramUserId}` : `tg${identity.telegramUserId}-${attempt}`;
      try {
        const { userId } = await accounts.registerWithoutPassword({ username });
        return userId;
      } catch (error) {
        // A web user took the name first: try the next.
        if (!isOspreyError(error, "CONFLICT") || attempt >= 5) throw error;
      }
    }
  }

  return {
    async start(identity: TelegramIdentity, code: string | null): Promise<StartOutcome> {
      const existing = await store.telegram.findAccount(identity.telegramUserId);
      if (existing) {
        if (code !== null) throw new OspreyError("TELEGRAM_ALREADY_LINKED");
        return { kind: "known", account: existing };
      }
      if (code !== null) {
        const record = await tokens.redeem("link_code", code);
        const account = await store.telegram.link({ ...identity, userId: record.userId });
        return { kind: "linked", account };
      }
      const userId = await createUserFor(identity);
      try {
        const account = await store.telegram.link({ ...identity, userId });
        return { kind: "created", account };
      } catch (error) {
        // Two /start at once: the other one linked first. Ours leaves an unused account.
        const linked = await store.telegram.findAccount(identity.telegramUserId);
        if (linked && isOspreyError(error, "TELEGRAM_ALREADY_LINKED"))
          return { kind: "known", account: linked };
        throw error;
      }
    },

    /** A code a logged-in web user sends the bot as `/start <code>`. */
    async issueLinkCode(userId: UserId): Promise<{ code: string; expiresAt: number }> {
      if (await store.telegram.findAccountOfUser(userId))
        throw new OspreyError("TELEGRAM_ALREADY_LINKED");
      const { token, expiresAt } = await tokens.issue({
        kind: "link_code",
        userId,
        telegramUserId: null,
        ttlMs: LINK_CODE_TTL_MS,
      });
      return { code: token, expiresAt };
    },

    /**
     * The user a web link was sent to, once; TELEGRAM_TOKEN_INVALID when it is not valid or the
     * Telegram account it was sent to is no longer linked to them.
     */
    async redeemWebLink(token: string) {
      const record = await tokens.redeem("web_link", token);
      const account = await store.telegram.findAccountOfUser(record.userId);
      if (!account || account.telegramUserId !== record.telegramUserId)
        throw new OspreyError("TELEGRAM_TOKEN_INVALID");
      return record;
    },

    /** A one-time token the terminal trades for a login: the bot sends it as a link. */
    issueWebLink(account: TelegramAccountRecord): Promise<{ token: string; expiresAt: number }> {
      return tokens.issue({
        kind: "web_link",
        userId: account.userId,
        telegramUserId: account.telegramUserId,
        ttlMs: WEB_LINK_TTL_MS,
      });
    },
  };
}

export type TelegramLinks = ReturnType<typeof createTelegramLinks>;
