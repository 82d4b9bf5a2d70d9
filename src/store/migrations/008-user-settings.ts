import type { Kysely } from "kysely";

/**
 * Each user's terminal settings (buy and sell presets, slippage) as one JSON document: PUT
 * replaces it whole, and a field added later reads as its default from the rows written before.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("user_settings")
    .addColumn("user_id", "text", (c) => c.primaryKey().references("users.id").onDelete("cascade"))
    .addColumn("settings", "text", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();
}
