import { type Kysely, sql } from "kysely";

/**
 * API keys get a scope (read, trade, full). A key created from now on without one can only read;
 * the keys that exist could do everything a login could, so they become `full` and the scripts
 * using them keep working, except for export and password changes, which no key may do now.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("api_keys")
    .addColumn("scope", "text", (c) => c.notNull().defaultTo("read"))
    .execute();
  await sql`update api_keys set scope = 'full'`.execute(db);
}
