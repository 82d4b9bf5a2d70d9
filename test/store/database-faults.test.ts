import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { sql } from "kysely";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { isOspreyError } from "../../src/core/osprey-error.js";
import { createDatabase, type Database } from "../../src/store/database.js";
import { isUniqueViolation } from "../../src/store/repositories/is-unique-violation.js";
import { getTestDatabases } from "../support/databases.js";

const postgresUrl = process.env.TEST_POSTGRES_URL;
const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe("SQLite with another connection holding the write lock", () => {
  const dirs: string[] = [];
  const opened: { close(): unknown }[] = [];
  afterEach(async () => {
    for (const handle of opened.splice(0).reverse()) await handle.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  async function open(sqliteLockWaitMs: number) {
    const dir = mkdtempSync(join(tmpdir(), "osprey-lock-"));
    dirs.push(dir);
    const path = join(dir, "osprey.db");
    const database = await createDatabase({ kind: "sqlite", path }, { sqliteLockWaitMs });
    opened.push(database);
    const other = new SqliteDatabase(path);
    // The other connection must not wait for our lock either (better-sqlite3's default is 5 s).
    other.pragma("busy_timeout = 0");
    opened.push({ close: () => (other.inTransaction ? other.exec("ROLLBACK") : other.close()) });
    opened.push(other);
    return { database, other };
  }

  const record = (db: Database["db"], action: string) =>
    db.insertInto("auditLog").values({ action, at: 1 }).execute();
  const recorded = (other: SqliteDatabase.Database) =>
    other.prepare("select action from audit_log order by id").all();

  it("waits for it on timers inside a durable transaction, then commits", async () => {
    const { database, other } = await open(30_000);
    other.exec("BEGIN IMMEDIATE");
    let committed = false;
    const write = database
      .durably(() =>
        database.db.transaction().execute(async (trx) => {
          await record(trx, "a");
        }),
      )
      .then(() => {
        committed = true;
      });
    // Timers still fire while the transaction waits: the event loop is not held by SQLite.
    for (let i = 0; i < 20; i += 1) await tick();
    expect(committed).toBe(false);
    other.exec("COMMIT");
    await write;
    expect(recorded(other)).toEqual([{ action: "a" }]);
  });

  it("begins transactions IMMEDIATE: the lock is taken before the first statement", async () => {
    const { database, other } = await open(30_000);
    let otherWrite: unknown;
    await database.db.transaction().execute(async (trx) => {
      await sql`select 1`.execute(trx);
      await tick();
      // A deferred BEGIN would let this in, and our insert below would then fail BUSY_SNAPSHOT.
      try {
        other.exec("insert into audit_log (action, at) values ('other', 1)");
      } catch (error) {
        otherWrite = error;
      }
      await record(trx, "ours");
    });
    expect((otherWrite as { code?: string } | undefined)?.code).toBe("SQLITE_BUSY");
    expect(recorded(other)).toEqual([{ action: "ours" }]);
  });

  it("answers DATABASE_UNAVAILABLE once SQLITE_LOCK_WAIT_MS is spent, having written nothing", async () => {
    const { database, other } = await open(200);
    other.exec("BEGIN IMMEDIATE");
    const error = await record(database.db, "late").catch((caught: unknown) => caught);
    const transaction = await database.db
      .transaction()
      .execute((trx) => record(trx, "in a transaction"))
      .catch((caught: unknown) => caught);
    other.exec("ROLLBACK");
    for (const failure of [error, transaction]) {
      expect(isOspreyError(failure, "DATABASE_UNAVAILABLE")).toBe(true);
    }
    expect(recorded(other)).toEqual([]);
    await record(database.db, "now");
    expect(recorded(other)).toEqual([{ action: "now" }]);
  });
});

describe("driver errors at the dialect seam", () => {
  for (const testDb of getTestDatabases()) {
    it(`leaves a unique violation as it is, for the repositories [${testDb.name}]`, async () => {
      const database = await testDb.open();
      try {
        const user = (id: string) => ({
          id,
          username: "same",
          passwordHash: "x",
          role: "user" as const,
          createdAt: 1,
        });
        await database.db.insertInto("users").values(user("u1")).execute();
        const error = await database.db
          .insertInto("users")
          .values(user("u2"))
          .execute()
          .catch((caught: unknown) => caught);
        expect(isOspreyError(error)).toBe(false);
        expect(isUniqueViolation(error)).toBe(true);
      } finally {
        await database.close();
        await testDb.cleanup();
      }
    });
  }

  it.skipIf(!postgresUrl)(
    `turns a PostgreSQL connection cut under a query into DATABASE_UNAVAILABLE${postgresUrl ? "" : " — skipped: set TEST_POSTGRES_URL"}`,
    async () => {
      const [, testDb] = getTestDatabases();
      if (!testDb) throw new Error("no PostgreSQL");
      const database = await testDb.open({ poolSize: 1 });
      const admin = new pg.Client({ connectionString: postgresUrl });
      await admin.connect();
      try {
        // Only this pool's own backend is ended: other suites share the server.
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(
          database.db,
        );
        const query = sql`select pg_sleep(5)`.execute(database.db).catch((e: unknown) => e);
        await new Promise((resolve) => setTimeout(resolve, 200));
        await admin.query("select pg_terminate_backend($1)", [rows[0]?.pid]);
        const error = await query;
        expect(isOspreyError(error, "DATABASE_UNAVAILABLE")).toBe(true);
        // The pool replaces the connection: the next query works.
        await sql`select 1`.execute(database.db);
      } finally {
        await admin.end();
        await database.close();
        await testDb.cleanup();
      }
    },
  );
});
