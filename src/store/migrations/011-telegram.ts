import type { Kysely } from "kysely";

/**
 * The Telegram bot (src/telegram): which Telegram account is which Osprey user (one to one),
 * and the one-time tokens that join the two sides — a code a web user types into the bot to
 * link, and a short-lived link the bot sends to open the web terminal. Tokens are stored as
 * hashes only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("telegram_accounts")
    .addColumn("telegram_user_id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) =>
      c.notNull().unique().references("users.id").onDelete("cascade"),
    )
    .addColumn("chat_id", "text", (c) => c.notNull())
    .addColumn("username", "text")
    .addColumn("linked_at", "bigint", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("telegram_tokens")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("telegram_user_id", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .addColumn("used_at", "bigint")
    .execute();
  await db.schema
    .createIndex("telegram_tokens_user_kind_idx")
    .on("telegram_tokens")
    .columns(["user_id", "kind"])
    .execute();
}
