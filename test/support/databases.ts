import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { describe } from "vitest";
import type { DatabaseTarget } from "../../src/config/config-schema.js";
import { createDatabase, type Database, type DatabaseOptions } from "../../src/store/database.js";

export interface TestDatabase {
  readonly name: "sqlite" | "postgres";
  /** Opens a fresh, migrated database: a new SQLite file, or a new PostgreSQL schema. */
  open(options?: DatabaseOptions): Promise<Database & { target: DatabaseTarget; schema?: string }>;
  /** Drops everything open() created. */
  cleanup(): Promise<void>;
}

const postgresUrl = process.env.TEST_POSTGRES_URL;

function sqliteTestDatabase(): TestDatabase {
  const dirs: string[] = [];
  return {
    name: "sqlite",
    async open(options) {
      const dir = mkdtempSync(join(tmpdir(), "osprey-db-"));
      dirs.push(dir);
      const target: DatabaseTarget = { kind: "sqlite", path: join(dir, "osprey.db") };
      return Object.assign(await createDatabase(target, options), { target });
    },
    async cleanup() {
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgresTestDatabase(url: string): TestDatabase {
  const schemas: string[] = [];
  return {
    name: "postgres",
    async open(options) {
      const schema = `t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
      schemas.push(schema);
      const target: DatabaseTarget = { kind: "postgres", url };
      return Object.assign(await createDatabase(target, { ...options, schema }), {
        target,
        schema,
      });
    },
    async cleanup() {
      if (schemas.length === 0) return;
      const admin = await createDatabase(
        { kind: "postgres", url },
        { migrate: false, poolSize: 1 },
      );
      for (const schema of schemas.splice(0)) {
        await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(admin.db);
      }
      await admin.close();
    },
  };
}

/** The databases every repository test runs against: SQLite always, PostgreSQL when configured. */
export function getTestDatabases(): TestDatabase[] {
  return postgresUrl
    ? [sqliteTestDatabase(), postgresTestDatabase(postgresUrl)]
    : [sqliteTestDatabase()];
}

/** Runs `body` once per database; a visible skip says when PostgreSQL is not configured. */
export function describeEachDatabase(title: string, body: (database: TestDatabase) => void): void {
  for (const database of getTestDatabases())
    describe(`${title} [${database.name}]`, () => body(database));
  if (!postgresUrl) {
    describe.skip(`${title} [postgres] — skipped: set TEST_POSTGRES_URL to run against PostgreSQL`, () => {});
  }
}
