import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { U64_MAX } from "../../src/core/amounts.js";
import { isOspreyError } from "../../src/core/osprey-error.js";
import { runMigrations } from "../../src/store/migrate.js";
import { describeEachDatabase } from "../support/databases.js";
import { createFakeClock } from "../support/fake-clock.js";
import { createUserWithWallet, useTestStore } from "../support/test-store.js";

const PUBLIC_KEY = "4Nd1mBQtrMJVYVfKf2PJy9NZUZdTAsp7D4xWLs4gDB4T";

describeEachDatabase("store", (testDb) => {
  const clock = createFakeClock();
  const env = useTestStore(testDb, clock);
  const testSchema = () => env.database.schema;

  it("runs migrations again without error and without re-applying them", async () => {
    expect(await runMigrations(env.database.db, env.database.dialect, testSchema())).toEqual([]);
    expect(await runMigrations(env.database.db, env.database.dialect, testSchema())).toEqual([]);
    await env.database.probeWrite();
  });

  it("durably() returns what its write returned, concurrent ones included, and passes on a failure", async () => {
    const insert = (id: string) =>
      env.database.durably(() =>
        env.database.db
          .insertInto("users")
          .values({ id, username: id, passwordHash: "x", role: "user", createdAt: 1 })
          .returning("id")
          .executeTakeFirstOrThrow(),
      );
    const rows = await Promise.all(["durable-1", "durable-2", "durable-3"].map(insert));
    expect(rows.map((row) => row.id)).toEqual(["durable-1", "durable-2", "durable-3"]);
    const stored = await env.database.db
      .selectFrom("users")
      .select("id")
      .where("id", "like", "durable-%")
      .orderBy("id")
      .execute();
    expect(stored.map((row) => row.id)).toEqual(["durable-1", "durable-2", "durable-3"]);
    await expect(env.database.durably(() => Promise.reject(new Error("no")))).rejects.toThrow("no");
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
      const rows = await env.database.db.selectFrom(table).selectAll().execute();
      expect(Array.isArray(rows)).toBe(true);
    }
  });

  it("refuses a second user with the same name, whatever its case", async () => {
    await env.store.users.create({ username: "Alice", passwordHash: "h" });
    const error = await env.store.users
      .create({ username: "alice", passwordHash: "h" })
      .catch((e: unknown) => e);
    expect(isOspreyError(error, "CONFLICT")).toBe(true);
    expect((await env.store.users.findByUsername("ALICE"))?.username).toBe("alice");
  });

  it("keeps wallets private to their owner", async () => {
    const a = await createUserWithWallet(env.store, "owner-a");
    const b = await createUserWithWallet(env.store, "owner-b");
    expect(await env.store.wallets.findForUser(b.userId, a.walletId)).toBeUndefined();
    expect(await env.store.wallets.update(b.userId, a.walletId, { label: "stolen" })).toBe(false);
    expect((await env.store.wallets.findForUser(a.userId, a.walletId))?.active).toBe(true);
    expect(await env.store.wallets.update(a.userId, a.walletId, { active: false })).toBe(true);
    expect((await env.store.wallets.findForUser(a.userId, a.walletId))?.active).toBe(false);
  });

  it("holds money exactly up to 2^64-1 and returns the same order for a reused idempotency key", async () => {
    const { userId, walletId } = await createUserWithWallet(env.store, "trader");
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
    const first = await env.store.orders.createPending(input);
    const again = await env.store.orders.createPending({ ...input, amountIn: 1n });
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.order.id).toBe(first.order.id);
    expect(again.order.amountIn).toBe(U64_MAX);

    const signed = await env.store.orders.transition(first.order.id, ["PENDING"], "SIGNED", {
      signature: "sig",
      rawTransaction: "AQID",
      lastValidBlockHeight: 1234,
      amountOut: U64_MAX - 1n,
    });
    expect(signed?.status).toBe("SIGNED");
    expect(signed?.amountOut).toBe(U64_MAX - 1n);
    // A second worker moving it from PENDING again loses the compare-and-set.
    expect(
      await env.store.orders.transition(first.order.id, ["PENDING"], "REJECTED"),
    ).toBeUndefined();
    expect((await env.store.orders.listUnresolved()).map((o) => o.id)).toContain(first.order.id);
    expect((await env.store.orders.listEvents(first.order.id)).map((e) => e.status)).toEqual([
      "PENDING",
      "SIGNED",
    ]);
    expect(await env.store.orders.findById(first.order.id)).toEqual(signed);
  });

  it("writes an order cleared to sign as QUOTED with both events, in one write", async () => {
    const { userId, walletId } = await createUserWithWallet(env.store, "quoted");
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
    const { order, created } = await env.store.orders.createPending(input);
    expect(created).toBe(true);
    expect(order).toMatchObject({ status: "QUOTED", minAmountOut: U64_MAX });
    expect(await env.store.orders.findById(order.id)).toEqual(order);
    const events = await env.store.orders.listEvents(order.id);
    expect(events.map((e) => [e.status, e.detail])).toEqual([
      ["PENDING", { quotedOut: "9" }],
      ["QUOTED", null],
    ]);
    // The key stays unique whatever state the order was written in.
    expect((await env.store.orders.createPending(input)).created).toBe(false);
  });

  it("reads the events of several orders in one query, each list in order", async () => {
    const { userId, walletId } = await createUserWithWallet(env.store, "lister");
    const place = (key: string) =>
      env.store.orders.createPending({
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
    await env.store.orders.transition(a.id, ["PENDING"], "QUOTED", {}, { step: 2 });
    await env.store.orders.transition(b.id, ["PENDING"], "REJECTED");
    await env.store.orders.transition(a.id, ["QUOTED"], "SIGNED");
    const events = await env.store.orders.listEventsOfOrders([b.id, a.id, a.id]);
    expect([...events.keys()].sort()).toEqual([a.id, b.id].sort());
    expect(events.get(a.id)).toEqual(await env.store.orders.listEvents(a.id));
    expect(events.get(a.id)?.map((e) => [e.status, e.detail])).toEqual([
      ["PENDING", { key: "list-a" }],
      ["QUOTED", { step: 2 }],
      ["SIGNED", null],
    ]);
    expect(events.get(b.id)?.map((e) => e.status)).toEqual(["PENDING", "REJECTED"]);
    expect(events.has(quiet.id)).toBe(false);
    expect((await env.store.orders.listEventsOfOrders([])).size).toBe(0);
  });

  it("stores positions with signed P&L and audit entries per user", async () => {
    const { userId, walletId } = await createUserWithWallet(env.store, "holder");
    await env.store.positions.save({
      userId,
      walletId,
      mint: PUBLIC_KEY,
      amount: 10n,
      costLamports: 5n,
      realizedPnlLamports: -(U64_MAX + 7n),
    });
    await env.store.positions.save({
      userId,
      walletId,
      mint: PUBLIC_KEY,
      amount: 3n,
      costLamports: 2n,
      realizedPnlLamports: -1n,
    });
    const [position] = await env.store.positions.listForUser(userId);
    expect(position).toMatchObject({ amount: 3n, costLamports: 2n, realizedPnlLamports: -1n });

    await env.store.audit.record({
      userId,
      action: "wallet.unlock",
      targetType: "wallet",
      targetId: walletId,
      detail: { ok: true },
    });
    const entries = await env.store.audit.listForUser(userId);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: "wallet.unlock", detail: { ok: true } });
  });

  it("stores api keys hashed and revokes them once", async () => {
    const user = await env.store.users.create({ username: "scripter", passwordHash: "h" });
    const key = await env.store.apiKeys.create({
      userId: user.id,
      name: "bot",
      keyHash: "abc",
      keyPrefix: "osk_ab",
      scope: "trade",
    });
    expect(await env.store.apiKeys.findActiveByHash("abc")).toMatchObject({
      id: key.id,
      scope: "trade",
    });
    expect(await env.store.apiKeys.revoke(user.id, key.id)).toBe(true);
    expect(await env.store.apiKeys.revoke(user.id, key.id)).toBe(false);
    expect(await env.store.apiKeys.findActiveByHash("abc")).toBeUndefined();
  });

  it("reports a broken connection as DATABASE_UNAVAILABLE", async () => {
    const other = await testDb.open();
    await other.close();
    const error = await other.probeWrite().catch((e: unknown) => e);
    expect(isOspreyError(error, "DATABASE_UNAVAILABLE")).toBe(true);
    await sql`select 1`.execute(env.database.db);
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
