import { type Kysely, type Migration, type MigrationProvider, Migrator } from "kysely";
import type { SqlDialectName } from "./database.js";
import { MIGRATIONS } from "./migrations/index.js";
import type { DatabaseSchema } from "./schema.js";

function createProvider(dialect: SqlDialectName): MigrationProvider {
  return {
    async getMigrations() {
      const entries: Record<string, Migration> = {};
      for (const migration of MIGRATIONS) {
        entries[migration.name] = { up: (db) => migration.up(db, dialect) };
      }
      return entries;
    },
  };
}

/** Applies pending migrations; running it again is a no-op. Returns the names it applied. */
export async function runMigrations(
  db: Kysely<DatabaseSchema>,
  dialect: SqlDialectName,
  schema?: string,
): Promise<string[]> {
  // Migrations work on raw snake_case names; without the app's CamelCasePlugin.
  const plain = db.withoutPlugins() as unknown as Kysely<unknown>;
  // Kysely looks for its own tables across all schemas unless told which one is ours.
  const migrator = new Migrator({
    db: plain,
    provider: createProvider(dialect),
    ...(schema && dialect === "postgres" ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
