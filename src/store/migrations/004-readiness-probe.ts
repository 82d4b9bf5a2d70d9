import type { Kysely } from "kysely";

/**
 * A table no one reads: /readyz inserts a row here and rolls it back, to learn whether the
 * database accepts a write (it may answer reads while read-only, locked or out of space).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("readiness_probe")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("at", "bigint", (c) => c.notNull())
    .execute();
}
