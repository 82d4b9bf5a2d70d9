import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { CamelCasePlugin, Kysely, PostgresDialect, SqliteDialect, sql } from "kysely";
import pg from "pg";
import type { DatabaseTarget } from "../config/config-schema.js";
import { OspreyError } from "../core/osprey-error.js";
import { runMigrations } from "./migrate.js";
import type { DatabaseSchema } from "./schema.js";
import { withStatementCache } from "./statement-cache.js";

export type SqlDialectName = "sqlite" | "postgres";

export interface Database {
  readonly db: Kysely<DatabaseSchema>;
  readonly dialect: SqlDialectName;
  /**
   * Runs `write` with its commits on disk before they return, proof against a power loss or an
   * OS crash and not only a process crash. For the write-ahead record whose loss after the fact
   * would leave a trade on chain that no order explains (the signed bytes, before their send).
   * PostgreSQL commits durably anyway; SQLite switches to synchronous=FULL for the duration.
   */
  durably<T>(write: () => Promise<T>): Promise<T>;
  /** Throws DATABASE_UNAVAILABLE when a trivial query fails; used by /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL schema to use (created if missing); lets tests and tenants share one server. */
  readonly schema?: string;
  readonly poolSize?: number;
  /** Apply pending migrations before returning (default true). */
  readonly migrate?: boolean;
}

const PG_INT8 = 20;

// int8 holds times and slots, which fit a JS number; refuse rather than round if one ever does not.
function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`int8 value ${text} exceeds 2^53`);
  return value;
}

function createPostgresKysely(url: string, options: DatabaseOptions) {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 5_000,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        oid === PG_INT8
          ? parseInt8
          : pg.types.getTypeParser(oid, format ?? "text")) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client's error (server restart) must not crash the process; the next query reports it.
  pool.on("error", () => {});
  return new Kysely<DatabaseSchema>({
    dialect: new PostgresDialect({ pool }),
    plugins: [new CamelCasePlugin()],
  });
}

function createSqliteKysely(path: string) {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SqliteDatabase(path);
  sqlite.pragma("journal_mode = WAL");
  // NORMAL: with WAL, a commit survives a process crash; `durably` raises it to FULL (about
  // 0.2 ms more per commit here) for the writes that must also survive a power loss.
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  const db = new Kysely<DatabaseSchema>({
    dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
    plugins: [new CamelCasePlugin()],
  });
  // One connection, many tasks: FULL stays on while any durable write is in flight. A commit
  // of another task in that window is durable too, which costs time but nothing else. SQLite
  // refuses the pragma inside an open transaction; then it waits its turn behind Kysely's
  // connection lock, and later changes queue behind it so they keep their order.
  let durableWrites = 0;
  let queuedChanges = 0;
  let raised: Promise<unknown> = Promise.resolve();
  function setLevel(level: "FULL" | "NORMAL"): Promise<unknown> {
    if (queuedChanges === 0 && !sqlite.inTransaction) {
      sqlite.pragma(`synchronous = ${level}`);
      return Promise.resolve();
    }
    queuedChanges++;
    return sql
      .raw(`pragma synchronous = ${level}`)
      .execute(db)
      .finally(() => {
        queuedChanges--;
      });
  }
  async function durably<T>(write: () => Promise<T>): Promise<T> {
    if (durableWrites++ === 0) raised = setLevel("FULL");
    try {
      await raised; // every write of the window waits for the raise, and fails if it failed
      return await write();
    } finally {
      // Left at FULL if even this fails: slower, never less safe.
      if (--durableWrites === 0) await setLevel("NORMAL").catch(() => undefined);
    }
  }
  return { db, durably };
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Opens the configured database and applies migrations: SQLite file or PostgreSQL, same code. */
export async function createDatabase(
  target: DatabaseTarget,
  options: DatabaseOptions = {},
): Promise<Database> {
  if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
    throw new OspreyError(
      "CONFIG_INVALID",
      "Database schema names are lower-case letters, digits and _.",
    );
  }
  const dialect: SqlDialectName = target.kind;
  const { db, durably } =
    target.kind === "postgres"
      ? {
          db: createPostgresKysely(target.url, options),
          durably: <T>(write: () => Promise<T>) => write(),
        }
      : createSqliteKysely(target.path);
  const database: Database = {
    db,
    dialect,
    durably,
    async ping() {
      try {
        await sql`select 1`.execute(db);
      } catch (cause) {
        throw new OspreyError("DATABASE_UNAVAILABLE", undefined, { dialect }, { cause });
      }
    },
    async close() {
      await db.destroy();
    },
  };
  try {
    if (options.schema && dialect === "postgres") {
      await sql`create schema if not exists ${sql.id(options.schema)}`.execute(db);
    }
    if (options.migrate ?? true) await runMigrations(db, dialect, options.schema);
  } catch (cause) {
    await db.destroy().catch(() => {});
    throw new OspreyError(
      "DATABASE_UNAVAILABLE",
      `Could not open the ${dialect} database.`,
      { dialect },
      { cause },
    );
  }
  return database;
}
