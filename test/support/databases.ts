import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { describe } from "vitest";
import type { DatabaseTarget } from "../../src/config/config-schema.js";
import { createDatabase, type Database, type DatabaseOptions } from "../../src/store/database.js";
import { describeUnless } from "./describe-unless.js";

export interface TestDatabase {
  readonly name: "sqlite" | "postgres";
  /** Opens a fresh, migrated database: a new SQLite file, or a new PostgreSQL schema. */
  open(options?: DatabaseOptions): Promise<Database & { target: DatabaseTarget; schema?: string }>;
  /** Drops everything open() created. */
  cleanup(): Promise<void>;
}

const postgresUrl = process.env.TEST_POSTGRES_URL;

/** Why the PostgreSQL variants do not run here, or null when they do. */
export const POSTGRES_SKIP_REASON = postgresUrl
  ? null
  : "set TEST_POSTGRES_URL to run against PostgreSQL";

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

/** Stands in for PostgreSQL in a skipped suite: its tests are collected, never run. */
function unconfiguredPostgres(): TestDatabase {
  const refuse = () =>
    Promise.reject(new Error(`PostgreSQL is not configured: ${POSTGRES_SKIP_REASON}`));
  return { name: "postgres", open: refuse, cleanup: refuse };
}

/**
 * Runs `body` once per database. Without TEST_POSTGRES_URL the PostgreSQL suite is still
 * declared, as skipped with the reason in its title, so its tests count as skipped rather than
 * vanish from the report.
 */
export function describeEachDatabase(title: string, body: (database: TestDatabase) => void): void {
  describe(`${title} [sqlite]`, () => body(sqliteTestDatabase()));
  describeUnless(POSTGRES_SKIP_REASON, `${title} [postgres]`, () =>
    body(postgresUrl ? postgresTestDatabase(postgresUrl) : unconfiguredPostgres()),
  );
}

/**
 * Runs `body` once per kind of database, `%s` in the title naming it, for suites that start
 * their own apps; the PostgreSQL one is skipped, visibly, without TEST_POSTGRES_URL.
 */
export function describeEachDatabaseKind(
  title: string,
  body: (kind: TestDatabase["name"]) => void,
): void {
  describe(title.replace("%s", "sqlite"), () => body("sqlite"));
  describeUnless(POSTGRES_SKIP_REASON, title.replace("%s", "postgres"), () => body("postgres"));
}
