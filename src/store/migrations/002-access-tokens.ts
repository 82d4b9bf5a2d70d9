import type { Kysely } from "kysely";

/** Bearer tokens from a login: only a hash is stored, with an expiry. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("access_tokens")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .addColumn("revoked_at", "bigint")
    .execute();
  await db.schema
    .createIndex("access_tokens_user_idx")
    .on("access_tokens")
    .column("user_id")
    .execute();
}
