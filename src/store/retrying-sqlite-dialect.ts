import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type SqliteDatabase,
  SqliteDialect,
  SqliteDriver,
} from "kysely";
import { type LockRetryOptions, retryWhileLocked } from "./retry-while-locked.js";

export interface RetryingSqliteDialectConfig {
  readonly database: SqliteDatabase;
  /** better-sqlite3's `inTransaction`: inside a transaction a statement is never run twice. */
  readonly inTransaction: () => boolean;
  readonly lockRetry: LockRetryOptions;
}

/**
 * Kysely's SQLite dialect for a connection opened with a zero busy timeout: a statement that
 * meets another connection's lock is retried on timers (retry-while-locked.ts), so the event loop
 * keeps serving while it waits. Transactions begin IMMEDIATE, taking the write lock at BEGIN:
 * the wait then happens before anything was done and a retry is safe, where a deferred BEGIN
 * would meet the lock at its first write, after reads it would have to roll back.
 */
export function createRetryingSqliteDialect(config: RetryingSqliteDialectConfig): SqliteDialect {
  return new RetryingSqliteDialect(config);
}

class RetryingSqliteDialect extends SqliteDialect {
  readonly #config: RetryingSqliteDialectConfig;

  constructor(config: RetryingSqliteDialectConfig) {
    super({ database: config.database });
    this.#config = config;
  }

  override createDriver(): Driver {
    return new RetryingSqliteDriver(this.#config);
  }
}

class RetryingSqliteDriver extends SqliteDriver {
  readonly #config: RetryingSqliteDialectConfig;
  readonly #wrapped = new WeakMap<DatabaseConnection, DatabaseConnection>();

  constructor(config: RetryingSqliteDialectConfig) {
    super({ database: config.database });
    this.#config = config;
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await super.acquireConnection();
    let wrapped = this.#wrapped.get(connection);
    if (!wrapped) {
      wrapped = withLockRetry(connection, this.#config);
      this.#wrapped.set(connection, wrapped);
    }
    return wrapped;
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}

function withLockRetry(
  connection: DatabaseConnection,
  { inTransaction, lockRetry }: RetryingSqliteDialectConfig,
): DatabaseConnection {
  return {
    async executeQuery(query) {
      // Inside a transaction the lock is already ours (BEGIN IMMEDIATE), and a retry could repeat
      // half of it: a BUSY there is an outage, not a wait.
      if (inTransaction()) return connection.executeQuery(query);
      return retryWhileLocked(() => connection.executeQuery(query), lockRetry);
    },
    streamQuery: (query, chunkSize) => connection.streamQuery(query, chunkSize),
  };
}
