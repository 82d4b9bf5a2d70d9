import { expect, it } from "vitest";
import { createQueryTemplates } from "../../src/store/query-templates.js";
import { describeEachDatabase } from "../support/databases.js";
import { createFakeClock } from "../support/fake-clock.js";
import { createUserWithWallet, useTestStore } from "../support/test-store.js";

describeEachDatabase("query templates", (testDb) => {
  const env = useTestStore(testDb, createFakeClock());

  it("compiles a shape once and binds each call's values", async () => {
    const { db } = env.database;
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
    await env.store.users.create({ username: "tpl-a", passwordHash: "h" });
    await env.store.users.create({ username: "tpl-b", passwordHash: "h", role: "admin" });
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
    const { userId, walletId } = await createUserWithWallet(env.store, "tpl-trader");
    const place = async (key: string) =>
      (
        await env.store.orders.createPending({
          userId,
          walletId,
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
      const quoted = await env.store.orders.transition(order.id, ["PENDING"], "QUOTED", {
        minAmountOut: 2n ** 64n - 1n,
      });
      expect(quoted).toMatchObject({ status: "QUOTED", minAmountOut: 2n ** 64n - 1n });
      const signed = await env.store.orders.transition(
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
      expect(await env.store.orders.transition(order.id, ["QUOTED"], "FAILED")).toBeUndefined();
      const failed = await env.store.orders.transition(order.id, ["SIGNED"], "FAILED", {
        error: "x",
      });
      expect(failed).toEqual(await env.store.orders.findById(order.id));
      expect(failed).toMatchObject({ status: "FAILED", error: "x", minAmountOut: 2n ** 64n - 1n });
      expect(
        (await env.store.orders.listEvents(order.id)).map((e) => [e.status, e.detail]),
      ).toEqual([
        ["PENDING", null],
        ["QUOTED", null],
        ["SIGNED", { step: key }],
        ["FAILED", null],
      ]);
    }
  });
});
