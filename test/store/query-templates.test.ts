import { afterAll, beforeAll, expect, it } from "vitest";
import type { Database } from "../../src/store/database.js";
import { createQueryTemplates } from "../../src/store/query-templates.js";
import { createStore, type Store } from "../../src/store/store.js";
import { describeEachDatabase } from "../support/databases.js";
import { createFakeClock } from "../support/fake-clock.js";

describeEachDatabase("query templates", (testDb) => {
  let database: Database;
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

  it("compiles a shape once and binds each call's values", async () => {
    const { db } = database;
    const templates = createQueryTemplates();
    let builds = 0;
    const byName = (username: string) =>
      templates.bind(
        "user-by-name",
        (slot) => {
          builds += 1;
          return db
            .selectFrom("users")
            .select(["username", "role"])
            .where("username", "=", slot(0));
        },
        [username],
      );
    await store.users.create({ username: "tpl-a", passwordHash: "h" });
    await store.users.create({ username: "tpl-b", passwordHash: "h", role: "admin" });
    expect((await db.executeQuery(byName("tpl-a"))).rows).toEqual([
      { username: "tpl-a", role: "user" },
    ]);
    expect((await db.executeQuery(byName("tpl-b"))).rows).toEqual([
      { username: "tpl-b", role: "admin" },
    ]);
    expect((await db.executeQuery(byName("nobody"))).rows).toEqual([]);
    expect(builds).toBe(1);
    expect(templates.size()).toBe(1);
  });

  it("moves orders through transitions of every shape with exact values", async () => {
    const user = await store.users.create({ username: "tpl-trader", passwordHash: "h" });
    const wallet = await store.wallets.create({
      userId: user.id,
      label: "main",
      publicKey: "4Nd1mBQtrMJVYVfKf2PJy9NZUZdTAsp7D4xWLs4gDB4T" as never,
      envelope: "{}",
    });
    const place = async (key: string) =>
      (
        await store.orders.createPending({
          userId: user.id,
          walletId: wallet.id,
          side: "buy",
          mint: "mint",
          idempotencyKey: key,
          requestHash: "h",
          amountIn: 10n,
          slippageBps: 50,
        })
      ).order;
    for (const key of ["tpl-1", "tpl-2"]) {
      const order = await place(key);
      const quoted = await store.orders.transition(order.id, ["PENDING"], "QUOTED", {
        minAmountOut: 2n ** 64n - 1n,
      });
      expect(quoted).toMatchObject({ status: "QUOTED", minAmountOut: 2n ** 64n - 1n });
      const signed = await store.orders.transition(
        order.id,
        ["PENDING", "QUOTED"],
        "SIGNED",
        { signature: `sig-${key}`, rawTransaction: "AQID", lastValidBlockHeight: 99 },
        { step: key },
      );
      expect(signed).toMatchObject({
        status: "SIGNED",
        signature: `sig-${key}`,
        lastValidBlockHeight: 99,
      });
      expect(await store.orders.transition(order.id, ["QUOTED"], "FAILED")).toBeUndefined();
      const failed = await store.orders.transition(order.id, ["SIGNED"], "FAILED", { error: "x" });
      expect(failed).toEqual(await store.orders.findById(order.id));
      expect(failed).toMatchObject({ status: "FAILED", error: "x", minAmountOut: 2n ** 64n - 1n });
      expect((await store.orders.listEvents(order.id)).map((e) => [e.status, e.detail])).toEqual([
        ["PENDING", null],
        ["QUOTED", null],
        ["SIGNED", { step: key }],
        ["FAILED", null],
      ]);
    }
  });
});
