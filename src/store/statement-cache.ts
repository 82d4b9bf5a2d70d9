import type { SqliteDatabase, SqliteStatement } from "kysely";

/** The part of better-sqlite3's Database that Kysely's SqliteDialect calls, plus `busy`. */
export interface CacheableDatabase {
  prepare(sql: string): SqliteStatement & { readonly busy?: boolean };
  close(): void;
}

export interface StatementCacheOptions {
  /** Distinct SQL texts kept prepared (least recently used dropped first); default 256. */
  readonly max?: number;
}

export interface CachingDatabase extends SqliteDatabase {
  /** Statements currently kept, for tests. */
  size(): number;
}

/**
 * Kysely's SqliteDialect prepares every query afresh; this hands it the prepared statement
 * for the same SQL text again. A statement still iterating (a streamed query) is busy, so a
 * second user of that text gets a fresh, uncached one instead.
 */
export function withStatementCache(
  database: CacheableDatabase,
  options: StatementCacheOptions = {},
): CachingDatabase {
  const max = options.max ?? 256;
  // A Map iterates in insertion order, so re-inserting on a hit keeps it an LRU.
  const statements = new Map<string, SqliteStatement & { readonly busy?: boolean }>();
  return {
    prepare(sql) {
      const cached = statements.get(sql);
      if (cached !== undefined) {
        if (cached.busy === true) return database.prepare(sql);
        statements.delete(sql);
        statements.set(sql, cached);
        return cached;
      }
      const statement = database.prepare(sql);
      statements.set(sql, statement);
      if (statements.size > max) {
        const oldest = statements.keys().next().value;
        if (oldest !== undefined) statements.delete(oldest);
      }
      return statement;
    },
    close() {
      statements.clear();
      database.close();
    },
    size: () => statements.size,
  };
}
