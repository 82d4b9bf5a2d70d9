import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { U64_MAX } from "../../src/core/amounts.js";
import type { UserId, WalletId } from "../../src/core/ids.js";
import { isOspreyError } from "../../src/core/osprey-error.js";
import type { Database } from "../../src/store/database.js";
import { runMigrations } from "../../src/store/migrate.js";
import { createStore, type Store } from "../../src/store/store.js";
import { describeEachDatabase } from "../support/databases.js";
import { createFakeClock } from "../support/fake-clock.js";

const PUBLIC_KEY = "4Nd1mBQtrMJVYVfKf2PJy9NZUZdTAsp7D4xWLs4gDB4T";

describeEachDatabase("store", (testDb) => {
  let database: Database & { schema?: string };
  const testSchema = () => database.schema;
  let store: Store;
  const clock = createFakeClock();

  beforeAll(async () => {
    database = await testDb.open();
    store = createStore(database, clock);
  });
  afterAll(async () => {
    await database.close();
    await testDb.cleanup();
  });

  it("runs migrations again without error and without re-applying them", async () => {
    expect(await runMigrations(database.db, database.dialect, testSchema())).toEqual([]);
    expect(await runMigrations(database.db, database.dialect, testSchema())).toEqual([]);
    await database.ping();
  });

  it("durably() returns what its write returned, concurrent ones included, and passes on a failure", async () => {
    const insert = (id: string) =>
      database.durably(() =>
        database.db
          .insertInto("users")
          .values({ id, username: id, passwordHash: "x", role: "user", createdAt: 1 })
          .returning("id")
          .executeTakeFirstOrThrow(),
      );
    const rows = await Promise.all(["durable-1", "durable-2", "durable-3"].map(insert));
    expect(rows.map((row) => row.id)).toEqual(["durable-1", "durable-2", "durable-3"]);
    const stored = await database.db
      .selectFrom("users")
      .select("id")
      .where("id", "like", "durable-%")
      .orderBy("id")
      .execute();
    expect(stored.map((row) => row.id)).toEqual(["durable-1", "durable-2", "durable-3"]);
    await expect(database.durably(() => Promise.reject(new Error("no")))).rejects.toThrow("no");
  });

  it("creates every table of the first migration", async () => {
    for (const table of [
      "users",
      "apiKeys",
      "wallets",
      "orders",
      "orderEvents",
      "positions",
      "auditLog",
    ] as const) {
      const rows = await database.db.selectFrom(table).selectAll().execute();
      expect(Array.isArray(rows)).toBe(true);
    }
  });

  async function createUserWithWallet(
    name: string,
  ): Promise<{ userId: UserId; walletId: WalletId }> {
    const user = await store.users.create({ username: name, passwordHash: "argon-hash" });
    const wallet = await store.wallets.create({
      userId: user.id,
      label: "main",
      publicKey: PUBLIC_KEY as never,
      envelope: "{}",
    });
    return { userId: user.id, walletId: wallet.id };
  }

  it("refuses a second user with the same name, whatever its case", async () => {
    await store.users.create({ username: "Alice", passwordHash: "h" });
    const error = await store.users
      .create({ username: "alice", passwordHash: "h" })
      .catch((e: unknown) => e);
    expect(isOspreyError(error, "CONFLICT")).toBe(true);
    expect((await store.users.findByUsername("ALICE"))?.username).toBe("alice");
  });

  it("keeps wallets private to their owner", async () => {
    const a = await createUserWithWallet("owner-a");
    const b = await createUserWithWallet("owner-b");
    expect(await store.wallets.findForUser(b.userId, a.walletId)).toBeUndefined();
    expect(await store.wallets.update(b.userId, a.walletId, { label: "stolen" })).toBe(false);
    expect((await store.wallets.findForUser(a.userId, a.walletId))?.active).toBe(true);
    expect(await store.wallets.update(a.userId, a.walletId, { active: false })).toBe(true);
    expect((await store.wallets.findForUser(a.userId, a.walletId))?.active).toBe(false);
  });

  it("holds money exactly up to 2^64-1 and returns the same order for a reused idempotency key", async () => {
    const { userId, walletId } = await createUserWithWallet("trader");
    const input = {
      userId,
      walletId,
      side: "buy" as const,
      mint: PUBLIC_KEY,
      idempotencyKey: "key-1",
      requestHash: "hash",
      amountIn: U64_MAX,
      slippageBps: 50,
    };
    const first = await store.orders.createPending(input);
    const again = await store.orders.createPending({ ...input, amountIn: 1n });
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.order.id).toBe(first.order.id);
    expect(again.order.amountIn).toBe(U64_MAX);

    const signed = await store.orders.transition(first.order.id, ["PENDING"], "SIGNED", {
      signature: "sig",
      rawTransaction: "AQID",
      lastValidBlockHeight: 1234,
      amountOut: U64_MAX - 1n,
    });
    expect(signed?.status).toBe("SIGNED");
    expect(signed?.amountOut).toBe(U64_MAX - 1n);
    // A second worker moving it from PENDING again loses the compare-and-set.
    expect(await store.orders.transition(first.order.id, ["PENDING"], "REJECTED")).toBeUndefined();
    expect((await store.orders.listUnresolved()).map((o) => o.id)).toContain(first.order.id);
    expect((await store.orders.listEvents(first.order.id)).map((e) => e.status)).toEqual([
      "PENDING",
      "SIGNED",
    ]);
    expect(await store.orders.findById(first.order.id)).toEqual(signed);
  });

  it("writes an order cleared to sign as QUOTED with both events, in one write", async () => {
    const { userId, walletId } = await createUserWithWallet("quoted");
    const input = {
      userId,
      walletId,
      side: "sell" as const,
      mint: PUBLIC_KEY,
      idempotencyKey: "quoted-1",
      requestHash: "hash",
      amountIn: 7n,
      slippageBps: 50,
      detail: { quotedOut: "9" },
      quoted: { minAmountOut: U64_MAX },
    };
    const { order, created } = await store.orders.createPending(input);
    expect(created).toBe(true);
    expect(order).toMatchObject({ status: "QUOTED", minAmountOut: U64_MAX });
    expect(await store.orders.findById(order.id)).toEqual(order);
    const events = await store.orders.listEvents(order.id);
    expect(events.map((e) => [e.status, e.detail])).toEqual([
      ["PENDING", { quotedOut: "9" }],
      ["QUOTED", null],
    ]);
    // The key stays unique whatever state the order was written in.
    expect((await store.orders.createPending(input)).created).toBe(false);
  });

  it("reads the events of several orders in one query, each list in order", async () => {
    const { userId, walletId } = await createUserWithWallet("lister");
    const place = (key: string) =>
      store.orders.createPending({
        userId,
        walletId,
        side: "buy",
        mint: PUBLIC_KEY,
        idempotencyKey: key,
        requestHash: "hash",
        amountIn: 5n,
        slippageBps: 50,
        detail: { key },
      });
    const a = (await place("list-a")).order;
    const b = (await place("list-b")).order;
    const quiet = (await place("list-c")).order;
    await store.orders.transition(a.id, ["PENDING"], "QUOTED", {}, { step: 2 });
    await store.orders.transition(b.id, ["PENDING"], "REJECTED");
    await store.orders.transition(a.id, ["QUOTED"], "SIGNED");
    const events = await store.orders.listEventsOfOrders([b.id, a.id, a.id]);
    expect([...events.keys()].sort()).toEqual([a.id, b.id].sort());
    expect(events.get(a.id)).toEqual(await store.orders.listEvents(a.id));
    expect(events.get(a.id)?.map((e) => [e.status, e.detail])).toEqual([
      ["PENDING", { key: "list-a" }],
      ["QUOTED", { step: 2 }],
      ["SIGNED", null],
    ]);
    expect(events.get(b.id)?.map((e) => e.status)).toEqual(["PENDING", "REJECTED"]);
    expect(events.has(quiet.id)).toBe(false);
    expect((await store.orders.listEventsOfOrders([])).size).toBe(0);
  });

  it("stores positions with signed P&L and audit entries per user", async () => {
    const { userId, walletId } = await createUserWithWallet("holder");
    await store.positions.save({
      userId,
      walletId,
      mint: PUBLIC_KEY,
      amount: 10n,
      costLamports: 5n,
      realizedPnlLamports: -(U64_MAX + 7n),
    });
    await store.positions.save({
      userId,
      walletId,
      mint: PUBLIC_KEY,
      amount: 3n,
      costLamports: 2n,
      realizedPnlLamports: -1n,
    });
    const [position] = await store.positions.listForUser(userId);
    expect(position).toMatchObject({ amount: 3n, costLamports: 2n, realizedPnlLamports: -1n });

    await store.audit.record({
      userId,
      action: "wallet.unlock",
      targetType: "wallet",
      targetId: walletId,
      detail: { ok: true },
    });
    const entries = await store.audit.listForUser(userId);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: "wallet.unlock", detail: { ok: true } });
  });

  it("stores api keys hashed and revokes them once", async () => {
    const user = await store.users.create({ username: "scripter", passwordHash: "h" });
    const key = await store.apiKeys.create({
      userId: user.id,
      name: "bot",
      keyHash: "abc",
      keyPrefix: "osk_ab",
    });
    expect((await store.apiKeys.findActiveByHash("abc"))?.id).toBe(key.id);
    expect(await store.apiKeys.revoke(user.id, key.id)).toBe(true);
    expect(await store.apiKeys.revoke(user.id, key.id)).toBe(false);
    expect(await store.apiKeys.findActiveByHash("abc")).toBeUndefined();
  });

  it("reports a broken connection as DATABASE_UNAVAILABLE", async () => {
    const other = await testDb.open();
    await other.close();
    const error = await other.ping().catch((e: unknown) => e);
    expect(isOspreyError(error, "DATABASE_UNAVAILABLE")).toBe(true);
    await sql`select 1`.execute(database.db);
  });
});

describe("store with no reachable PostgreSQL", () => {
  it("fails with DATABASE_UNAVAILABLE rather than hanging", async () => {
    const { createDatabase } = await import("../../src/store/database.js");
    const error = await createDatabase({
      kind: "postgres",
      url: "postgres://postgres@127.0.0.1:1/none",
    }).catch((e: unknown) => e);
    expect(isOspreyError(error, "DATABASE_UNAVAILABLE")).toBe(true);
  });
});
