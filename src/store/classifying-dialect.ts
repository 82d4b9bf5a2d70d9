import type {
  CompiledQuery,
  DatabaseConnection,
  Dialect,
  Driver,
  QueryResult,
  TransactionSettings,
} from "kysely";
import type { SqlDialectName } from "./database.js";
import { toDatabaseError } from "./database-errors.js";

/**
 * The dialect with every driver failure classified at the one seam all queries pass through:
 * a database that is down, locked or read-only becomes DATABASE_UNAVAILABLE (503) for every
 * repository alike, while constraint violations and bugs pass unchanged.
 */
export function withDatabaseErrors(dialect: Dialect, name: SqlDialectName): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createDriver: () => createClassifyingDriver(dialect.createDriver(), name),
  };
}

function createClassifyingDriver(driver: Driver, name: SqlDialectName): Driver {
  const inner = new WeakMap<DatabaseConnection, DatabaseConnection>();
  const outer = new WeakMap<DatabaseConnection, DatabaseConnection>();
  const unwrap = (connection: DatabaseConnection) => inner.get(connection) ?? connection;

  async function guard<T>(step: () => Promise<T>, always = false): Promise<T> {
    try {
      return await step();
    } catch (error) {
      throw toDatabaseError(error, name, always);
    }
  }

  function wrap(connection: DatabaseConnection): DatabaseConnection {
    const known = outer.get(connection);
    if (known) return known;
    const wrapped: DatabaseConnection = {
      executeQuery: <R>(query: CompiledQuery) =>
        guard<QueryResult<R>>(() => connection.executeQuery<R>(query)),
      async *streamQuery<R>(query: CompiledQuery, chunkSize?: number) {
        try {
          yield* connection.streamQuery<R>(query, chunkSize);
        } catch (error) {
          throw toDatabaseError(error, name);
        }
      },
    };
    inner.set(wrapped, connection);
    outer.set(connection, wrapped);
    return wrapped;
  }

  type Compile = Parameters<NonNullable<Driver["savepoint"]>>[2];
  const savepointStep =
    (step: Driver["savepoint"]) =>
    (connection: DatabaseConnection, savepointName: string, compile: Compile) =>
      guard(async () => step?.call(driver, unwrap(connection), savepointName, compile));

  return {
    // Opening the database or taking a pooled connection fails only when the server is out of reach.
    init: () => guard(() => driver.init(), true),
    acquireConnection: async () => wrap(await guard(() => driver.acquireConnection(), true)),
    beginTransaction: (connection: DatabaseConnection, settings: TransactionSettings) =>
      guard(() => driver.beginTransaction(unwrap(connection), settings)),
    commitTransaction: (connection) => guard(() => driver.commitTransaction(unwrap(connection))),
    rollbackTransaction: (connection) =>
      guard(() => driver.rollbackTransaction(unwrap(connection))),
    ...(driver.savepoint ? { savepoint: savepointStep(driver.savepoint) } : {}),
    ...(driver.rollbackToSavepoint
      ? { rollbackToSavepoint: savepointStep(driver.rollbackToSavepoint) }
      : {}),
    ...(driver.releaseSavepoint
      ? { releaseSavepoint: savepointStep(driver.releaseSavepoint) }
      : {}),
    releaseConnection: (connection) => driver.releaseConnection(unwrap(connection)),
    destroy: () => driver.destroy(),
  };
}
