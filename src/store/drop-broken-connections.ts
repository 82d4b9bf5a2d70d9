import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from "kysely";
import type pg from "pg";
import { isDatabaseUnavailableError } from "./database-errors.js";

/**
 * The pool as Kysely sees it, where a client whose connection failed (cut by the server, read-only
 * session, shutdown) is destroyed on release instead of going back to the pool, so the next query
 * gets a fresh connection rather than the dead one. Every client also keeps an error listener:
 * pg emits `error` on a client whose server went away mid-query, and with none, that event
 * would be an uncaught exception taking the whole process down.
 */
export function withBrokenConnectionsDropped(pool: pg.Pool): PostgresPool {
  const clients = new WeakMap<pg.PoolClient, { client: PostgresPoolClient; broken: boolean }>();
  pool.on("connect", (client) => {
    client.on("error", () => {});
  });

  function wrap(raw: pg.PoolClient): PostgresPoolClient {
    const known = clients.get(raw);
    if (known) return known.client;
    const state = { broken: false, client: undefined as unknown as PostgresPoolClient };
    function query<R>(
      sql: string,
      parameters: ReadonlyArray<unknown>,
    ): Promise<PostgresQueryResult<R>>;
    function query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
    function query<R>(
      sqlOrCursor: string | PostgresCursor<R>,
      parameters?: ReadonlyArray<unknown>,
    ): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
      if (typeof sqlOrCursor !== "string")
        return raw.query(sqlOrCursor as never) as unknown as PostgresCursor<R>;
      return (
        raw.query(sqlOrCursor, parameters as unknown[]) as unknown as Promise<
          PostgresQueryResult<R>
        >
      ).catch((error: unknown) => {
        if (isDatabaseUnavailableError(error, "postgres")) state.broken = true;
        throw error;
      });
    }
    state.client = {
      query,
      release: (destroy?: boolean) => raw.release(destroy === true || state.broken),
    };
    clients.set(raw, state);
    return state.client;
  }

  return {
    connect: async () => wrap(await pool.connect()),
    end: () => pool.end(),
  };
}
