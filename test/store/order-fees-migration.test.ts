import { type Kysely, Migrator, sql } from "kysely";
import { afterAll, expect, it } from "vitest";
import { runMigrations } from "../../src/store/migrate.js";
import { MIGRATIONS } from "../../src/store/migrations/index.js";
import { createStore } from "../../src/store/store.js";
import { describeEachDatabase } from "../support/databases.js";
import { createFakeClock } from "../support/fake-clock.js";
import { createUserWithWallet } from "../support/test-store.js";

describeEachDatabase(
  "migration 009: an order's fees, tip, landing route and swap API",
  (testDb) => {
    afterAll(() => testDb.cleanup());

    it("reads the orders written before as public v1 with no fees, and keeps the new fields exactly", async () => {
      const database = await testDb.open({ migrate: false });
      const plain = database.db.withoutPlugins() as unknown as Kysely<unknown>;
      const before = new Migrator({
        db: plain,
        provider: {
          getMigrations: async () =>
            Object.fromEntries(
              MIGRATIONS.filter((migration) => migration.name < "009").map((migration) => [
                migration.name,
                { up: (db: Kysely<unknown>) => migration.up(db, database.dialect) },
              ]),
            ),
        },
        ...(database.schema ? { migrationTableSchema: database.schema } : {}),
      });
      expect((await before.migrateToLatest()).error).toBeUndefined();
      const store = createStore(database, createFakeClock());
      const { userId, walletId } = await createUserWithWallet(store, "old-trader");
      await sql`insert into orders (id, user_id, wallet_id, side, mint, status, idempotency_key,
      request_hash, amount_in, slippage_bps, created_at, updated_at)
      values ('o1', ${userId}, ${walletId}, 'buy', 'mint', 'CONFIRMED', 'k1', 'h', '5', 100, 1, 1)`.execute(
        plain,
      );

      expect(await runMigrations(database.db, database.dialect, database.schema)).toContain(
        "009-order-fees",
      );
      const old = (await store.orders.listForUser(userId))[0];
      expect(old).toMatchObject({
        networkFeeLamports: null,
        priorityFeeLamports: null,
        tipLamports: null,
        landingRoute: "public",
        swapApi: "v1",
      });

      const { order } = await store.orders.createPending({
        userId,
        walletId,
        side: "buy",
        mint: "mint",
        idempotencyKey: "k2",
        requestHash: "h2",
        amountIn: 1_000n,
        slippageBps: 50,
        landingRoute: "protected",
        swapApi: "v2",
        quoted: { minAmountOut: 1n },
      });
      expect(order).toMatchObject({ landingRoute: "protected", swapApi: "v2" });
      await store.orders.transition(order.id, ["QUOTED"], "SIGNED", {
        signature: "sig",
        rawTransaction: "AAAA",
        lastValidBlockHeight: 10,
      });
      const confirmed = await store.orders.transition(order.id, ["SIGNED"], "CONFIRMED", {
        networkFeeLamports: 18_446_744_073_709_551_615n,
        priorityFeeLamports: 1_482n,
        tipLamports: 7_000n,
      });
      expect(confirmed).toMatchObject({
        networkFeeLamports: 18_446_744_073_709_551_615n,
        priorityFeeLamports: 1_482n,
        tipLamports: 7_000n,
      });
      expect(await store.orders.findById(order.id)).toMatchObject({
        networkFeeLamports: 18_446_744_073_709_551_615n,
        priorityFeeLamports: 1_482n,
        tipLamports: 7_000n,
        landingRoute: "protected",
        swapApi: "v2",
      });
      expect((await store.orders.listUnresolved()).map((o) => o.id)).not.toContain(order.id);
      await database.close();
    });
  },
);
