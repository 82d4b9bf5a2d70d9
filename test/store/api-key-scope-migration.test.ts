import { type Kysely, Migrator, sql } from "kysely";
import { afterAll, expect, it } from "vitest";
import { runMigrations } from "../../src/store/migrate.js";
import { MIGRATIONS } from "../../src/store/migrations/index.js";
import { describeEachDatabase } from "../support/databases.js";

describeEachDatabase("migration 005: API key scopes", (testDb) => {
  afterAll(() => testDb.cleanup());

  it("makes the keys that exist full, and a key written without a scope read-only", async () => {
    const database = await testDb.open({ migrate: false });
    const plain = database.db.withoutPlugins() as unknown as Kysely<unknown>;
    // The schema as it was before scopes: every migration before 005.
    const before = new Migrator({
      db: plain,
      provider: {
        getMigrations: async () =>
          Object.fromEntries(
            MIGRATIONS.filter((migration) => migration.name < "005").map((migration) => [
              migration.name,
              { up: (db: Kysely<unknown>) => migration.up(db, database.dialect) },
            ]),
          ),
      },
      ...(database.schema ? { migrationTableSchema: database.schema } : {}),
    });
    const { error } = await before.migrateToLatest();
    expect(error).toBeUndefined();
    await sql`insert into users (id, username, password_hash, role, created_at)
      values ('u1', 'old-timer', 'h', 'user', 1)`.execute(plain);
    await sql`insert into api_keys (id, user_id, name, key_hash, key_prefix, created_at)
      values ('k1', 'u1', 'old bot', 'hash-1', 'osk_abcd', 1)`.execute(plain);

    expect(await runMigrations(database.db, database.dialect, database.schema)).toContain(
      "005-api-key-scopes",
    );
    await sql`insert into api_keys (id, user_id, name, key_hash, key_prefix, created_at)
      values ('k2', 'u1', 'new bot', 'hash-2', 'osk_efgh', 2)`.execute(plain);
    const rows = await sql<{ id: string; scope: string }>`
      select id, scope from api_keys order by id`.execute(plain);
    expect(rows.rows).toEqual([
      { id: "k1", scope: "full" },
      { id: "k2", scope: "read" },
    ]);
    await database.close();
  });
});
