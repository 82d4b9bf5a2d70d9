import SqliteDatabase from "better-sqlite3";
import { Kysely, SqliteDialect, sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { withStatementCache } from "../../src/store/statement-cache.js";

interface Schema {
  items: { id: number; name: string };
}

describe("statement cache", () => {
  const open: SqliteDatabase.Database[] = [];
  afterEach(() => {
    for (const db of open.splice(0)) if (db.open) db.close();
  });

  function createSqlite() {
    const db = new SqliteDatabase(":memory:");
    open.push(db);
    db.exec("create table items (id integer primary key, name text not null)");
    db.exec("insert into items (id, name) values (1, 'a'), (2, 'b'), (3, 'c')");
    return db;
  }

  it("hands back the prepared statement for the same SQL text", () => {
    const cache = withStatementCache(createSqlite());
    const first = cache.prepare("select * from items where id = ?");
    expect(cache.prepare("select * from items where id = ?")).toBe(first);
    expect(cache.prepare("select * from items where name = ?")).not.toBe(first);
    expect(first.all([2])).toEqual([{ id: 2, name: "b" }]);
    expect(first.all([3])).toEqual([{ id: 3, name: "c" }]);
  });

  it("keeps at most `max` statements, dropping the least recently used", () => {
    const cache = withStatementCache(createSqlite(), { max: 2 });
    const a = cache.prepare("select 1");
    const b = cache.prepare("select 2");
    expect(cache.prepare("select 1")).toBe(a); // now "select 2" is the oldest
    cache.prepare("select 3");
    expect(cache.size()).toBe(2);
    expect(cache.prepare("select 1")).toBe(a);
    expect(cache.prepare("select 2")).not.toBe(b);
  });

  it("gives a fresh statement while the cached one is still iterating", () => {
    const cache = withStatementCache(createSqlite());
    const text = "select name from items order by id";
    const outer = cache.prepare(text).iterate([]) as IterableIterator<{ name: string }>;
    expect(outer.next().value).toEqual({ name: "a" });
    expect(cache.prepare(text).all([])).toEqual([{ name: "a" }, { name: "b" }, { name: "c" }]);
    expect([...outer]).toEqual([{ name: "b" }, { name: "c" }]);
  });

  it("serves Kysely: repeated, abandoned streams and transactions", async () => {
    const sqlite = createSqlite();
    const db = new Kysely<Schema>({
      dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
    });
    const byId = (id: number) =>
      db.selectFrom("items").select("name").where("id", "=", id).executeTakeFirst();
    expect(await byId(1)).toEqual({ name: "a" });
    expect(await byId(3)).toEqual({ name: "c" });

    const streamed = () => db.selectFrom("items").select("name").orderBy("id").stream();
    for await (const row of streamed()) if (row.name === "b") break; // leaves it mid-way
    const names: string[] = [];
    for await (const row of streamed()) names.push(row.name);
    expect(names).toEqual(["a", "b", "c"]);

    await db.transaction().execute(async (trx) => {
      await trx.insertInto("items").values({ id: 4, name: "d" }).execute();
      await trx.insertInto("items").values({ id: 5, name: "e" }).execute();
    });
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto("items").values({ id: 6, name: "f" }).execute();
        await trx.insertInto("items").values({ id: 6, name: "again" }).execute();
      }),
    ).rejects.toThrow(/UNIQUE/);
    const { count } = await sql<{ count: number }>`select count(*) as count from items`
      .execute(db)
      .then((r) => r.rows[0] as { count: number });
    expect(count).toBe(5);
    await db.destroy();
    expect(sqlite.open).toBe(false);
  });
});
