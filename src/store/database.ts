import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { CamelCasePlugin, Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import type { DatabaseTarget } from "../config/config-schema.js";
import { isOspreyError, OspreyError } from "../core/osprey-error.js";
import { withDatabaseErrors } from "./classifying-dialect.js";
import { withBrokenConnectionsDropped } from "./drop-broken-connections.js";
import { runMigrations } from "./migrate.js";
import { createRetryingSqliteDialect } from "./retrying-sqlite-dialect.js";
import type { DatabaseSchema } from "./schema.js";
import { withStatementCache } from "./statement-cache.js";
import { createWalFlusher } from "./wal-flusher.js";

export type SqlDialectName = "sqlite" | "postgres";

export interface Database {
  readonly db: Kysely<DatabaseSchema>;
  readonly dialect: SqlDialectName;
  /**
   * Runs `write` and returns once its commits are on disk, proof against a power loss or an OS
   * crash and not only a process crash. For the write-ahead record whose loss after the fact
   * would leave a trade on chain that no order explains (the signed bytes, before their send).
   * PostgreSQL commits durably anyway. SQLite flushes its write-ahead log after `write`, once for
   * the durable writes that finish together (see wal-flusher.ts).
   */
  durably<T>(write: () => Promise<T>): Promise<T>;
  /**
   * Throws DATABASE_UNAVAILABLE unless the database accepts a write: a row inserted into
   * readiness_probe in a transaction that is rolled back. Used by /readyz, since a database can
   * answer reads while refusing writes (read-only, locked, disk full).
   */
  probeWrite(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL schema to use (created if missing); lets tests and tenants share one server. */
  readonly schema?: string;
  readonly poolSize?: number;
  /** Apply pending migrations before returning (default true). */
  readonly migrate?: boolean;
  /**
   * SQLite: how long a statement waits, in all, for a lock another connection holds, retrying on
   * timers so the server keeps answering meanwhile (default 2 s); then DATABASE_UNAVAILABLE.
   */
  readonly sqliteLockWaitMs?: number;
  /** SQLite: told each time a statement found the file locked and waits to retry (a metric). */
  readonly onLockWait?: () => void;
}

const DEFAULT_SQLITE_LOCK_WAIT_MS = 2_000;

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
    dialect: withDatabaseErrors(
      new PostgresDialect({ pool: withBrokenConnectionsDropped(pool) }),
      "postgres",
    ),
    plugins: [new CamelCasePlugin()],
  });
}

function createSqliteKysely(path: string, options: DatabaseOptions) {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const lockWaitMs = options.sqliteLockWaitMs ?? DEFAULT_SQLITE_LOCK_WAIT_MS;
  const sqlite = new SqliteDatabase(path);
  // Opening may wait in SQLite's own busy handler: nothing is being served yet.
  sqlite.pragma(`busy_timeout = ${lockWaitMs}`);
  sqlite.pragma("journal_mode = WAL");
  // NORMAL: with WAL, a commit survives a process crash. `durably` adds a flush of the log for
  // the writes that must also survive a power loss.
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  // From here a lock is never waited for inside a call, which would stop the event loop: the
  // dialect retries on timers instead (retrying-sqlite-dialect.ts).
  sqlite.pragma("busy_timeout = 0");
  const dialect = createRetryingSqliteDialect({
    database: withStatementCache(sqlite),
    inTransaction: () => sqlite.inTransaction,
    lockRetry: {
      maxWaitMs: lockWaitMs,
      ...(options.onLockWait ? { onWait: options.onLockWait } : {}),
    },
  });
  const db = new Kysely<DatabaseSchema>({
    dialect: withDatabaseErrors(dialect, "sqlite"),
    plugins: [new CamelCasePlugin()],
  });
  if (path === ":memory:")
    return { db, durably: <T>(write: () => Promise<T>) => write(), closeLog: undefined };
  const wal = createWalFlusher({ walPath: `${path}-wal` });
  async function durably<T>(write: () => Promise<T>): Promise<T> {
    const result = await write();
    await wal.flushed();
    return result;
  }
  return { db, durably, closeLog: () => wal.close() };
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
  const { db, durably, closeLog } =
    target.kind === "postgres"
      ? {
          db: createPostgresKysely(target.url, options),
          durably: <T>(write: () => Promise<T>) => write(),
          closeLog: undefined,
        }
      : createSqliteKysely(target.path, options);
  const unavailable = (cause: unknown) =>
    isOspreyError(cause, "DATABASE_UNAVAILABLE")
      ? cause
      : new OspreyError("DATABASE_UNAVAILABLE", undefined, { dialect }, { cause });
  const database: Database = {
    db,
    dialect,
    durably,
    async probeWrite() {
      try {
        const trx = await db.startTransaction().execute();
        try {
          await trx
            .insertInto("readinessProbe")
            .values({ id: randomUUID(), at: Date.now() })
            .execute();
        } finally {
          await trx.rollback().execute();
        }
      } catch (cause) {
        throw unavailable(cause);
      }
    },
    async close() {
      await db.destroy();
      closeLog?.();
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
