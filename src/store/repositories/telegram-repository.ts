import type { Kysely } from "kysely";
import type { Clock } from "../../core/clock.js";
import { createUuidV7, type UserId } from "../../core/ids.js";
import { OspreyError } from "../../core/osprey-error.js";
import type { DatabaseSchema, TelegramAccountsTable, TelegramTokensTable } from "../schema.js";
import { isUniqueViolation } from "./is-unique-violation.js";

export interface TelegramAccountRecord {
  readonly telegramUserId: string;
  readonly userId: UserId;
  readonly chatId: string;
  readonly username: string | null;
  readonly linkedAt: number;
}

/** `link_code`: a web user links a Telegram account; `web_link`: the bot opens the terminal. */
export type TelegramTokenKind = "link_code" | "web_link";

export interface TelegramTokenRecord {
  readonly id: string;
  readonly kind: TelegramTokenKind;
  readonly userId: UserId;
  readonly telegramUserId: string | null;
  readonly createdAt: number;
  readonly expiresAt: number;
}

const toAccount = (row: TelegramAccountsTable): TelegramAccountRecord => ({
  telegramUserId: row.telegramUserId,
  userId: row.userId as UserId,
  chatId: row.chatId,
  username: row.username,
  linkedAt: Number(row.linkedAt),
});

const toToken = (row: TelegramTokensTable): TelegramTokenRecord => ({
  id: row.id,
  kind: row.kind as TelegramTokenKind,
  userId: row.userId as UserId,
  telegramUserId: row.telegramUserId,
  createdAt: Number(row.createdAt),
  expiresAt: Number(row.expiresAt),
});

/** Telegram accounts linked to users, and the one-time tokens between bot and terminal. */
export function createTelegramRepository(db: Kysely<DatabaseSchema>, clock: Clock) {
  return {
    async findAccount(telegramUserId: string): Promise<TelegramAccountRecord | undefined> {
      const row = await db
        .selectFrom("telegramAccounts")
        .selectAll()
        .where("telegramUserId", "=", telegramUserId)
        .executeTakeFirst();
      return row && toAccount(row);
    },

    async findAccountOfUser(userId: UserId): Promise<TelegramAccountRecord | undefined> {
      const row = await db
        .selectFrom("telegramAccounts")
        .selectAll()
        .where("userId", "=", userId)
        .executeTakeFirst();
      return row && toAccount(row);
    },

    /**
     * Links a Telegram account to a user. One to one: a Telegram account or a user already
     * linked (to anyone) is refused with TELEGRAM_ALREADY_LINKED, and nothing changes.
     */
    async link(input: {
      telegramUserId: string;
      userId: UserId;
      chatId: string;
      username: string | null;
    }): Promise<TelegramAccountRecord> {
      const row: TelegramAccountsTable = { ...input, linkedAt: clock.now() };
      try {
        await db.insertInto("telegramAccounts").values(row).execute();
      } catch (error) {
        if (isUniqueViolation(error)) throw new OspreyError("TELEGRAM_ALREADY_LINKED");
        throw error;
      }
      return toAccount(row);
    },

    /** False when the account was not linked. */
    async unlink(telegramUserId: string): Promise<boolean> {
      const result = await db
        .deleteFrom("telegramAccounts")
        .where("telegramUserId", "=", telegramUserId)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    async createToken(input: {
      kind: TelegramTokenKind;
      tokenHash: string;
      userId: UserId;
      telegramUserId: string | null;
      expiresAt: number;
    }): Promise<TelegramTokenRecord> {
      const now = clock.now();
      const row: TelegramTokensTable = {
        id: createUuidV7(now),
        ...input,
        createdAt: now,
        usedAt: null,
      };
      await db.insertInto("telegramTokens").values(row).execute();
      return toToken(row);
    },

    /**
     * Uses a token once: the one of this kind and hash that is unused and unexpired is marked
     * used and returned; a second use, an expired token or an unknown one gets undefined.
     */
    async consumeToken(
      kind: TelegramTokenKind,
      tokenHash: string,
    ): Promise<TelegramTokenRecord | undefined> {
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom("telegramTokens")
          .selectAll()
          .where("tokenHash", "=", tokenHash)
          .where("kind", "=", kind)
          .where("usedAt", "is", null)
          .where("expiresAt", ">", now)
          .executeTakeFirst();
        if (!row) return undefined;
        const used = await trx
          .updateTable("telegramTokens")
          .set({ usedAt: now })
          .where("id", "=", row.id)
          .where("usedAt", "is", null)
          .executeTakeFirst();
        return Number(used.numUpdatedRows) === 1 ? toToken(row) : undefined;
      });
    },

    /** Ends a user's unused tokens of a kind (a new code replaces the old one). */
    async revokeTokens(userId: UserId, kind: TelegramTokenKind): Promise<number> {
      const result = await db
        .updateTable("telegramTokens")
        .set({ usedAt: clock.now() })
        .where("userId", "=", userId)
        .where("kind", "=", kind)
        .where("usedAt", "is", null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
  };
}

export type TelegramRepository = ReturnType<typeof createTelegramRepository>;
