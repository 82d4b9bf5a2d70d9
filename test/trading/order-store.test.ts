import { afterEach, beforeEach, expect, it } from "vitest";
import type { UserId, WalletId } from "../../src/core/ids.js";
import { createLogger } from "../../src/core/logger.js";
import { ORDER_STATUSES } from "../../src/core/order-status.js";
import type { Database } from "../../src/store/database.js";
import type { OrderRecord } from "../../src/store/repositories/orders-repository.js";
import { createStore, type Store } from "../../src/store/store.js";
import { createOrderReconciler } from "../../src/trading/order-reconciler.js";
import { canTransition, getSourceStatuses } from "../../src/trading/order-transitions.js";
import type { OrderSettler } from "../../src/trading/settle-order.js";
import { describeEachDatabase } from "../support/databases.js";
import { createFakeClock } from "../support/fake-clock.js";
import { createUserWithWallet } from "../support/test-store.js";

it("the state table: REJECTED only before signing, nothing leaves a final status", () => {
  expect(getSourceStatuses("REJECTED")).toEqual(["PENDING", "QUOTED"]);
  expect(getSourceStatuses("CONFIRMED")).toEqual(["SIGNED", "SUBMITTED"]);
  expect(getSourceStatuses("EXPIRED")).toEqual(["SIGNED", "SUBMITTED"]);
  for (const final of ["CONFIRMED", "FAILED", "EXPIRED", "REJECTED"] as const)
    for (const to of ORDER_STATUSES) expect(canTransition(final, to)).toBe(false);
});

describeEachDatabase("order fills and the reconciler", (testDb) => {
  let database: Database;
  let store: Store;
  const clock = createFakeClock();
  let userId: UserId;
  let walletId: WalletId;

  beforeEach(async () => {
    database = await testDb.open();
    store = createStore(database, clock);
    ({ userId, walletId } = await createUserWithWallet(store, "trader"));
  });
  afterEach(async () => {
    await database.close();
    await testDb.cleanup();
  });

  const pending = (key: string, side: "buy" | "sell" = "buy") =>
    store.orders
      .createPending({
        userId,
        walletId,
        side,
        mint: "BONKYmint",
        idempotencyKey: key,
        requestHash: key,
        amountIn: 1_000n,
        slippageBps: 100,
      })
      .then(({ order }) => order);

  const signed = async (key: string) => {
    const order = await pending(key);
    await store.orders.transition(order.id, ["PENDING"], "QUOTED");
    return (await store.orders.transition(order.id, ["QUOTED"], "SIGNED", {
      signature: `sig-${key}`,
      rawTransaction: "AAAA",
      lastValidBlockHeight: 100,
    })) as OrderRecord;
  };

  it("confirms a fill and moves its position once, even when confirmed twice", async () => {
    const order = await signed("a");
    const fill = (current: { amount: bigint; costLamports: bigint } | undefined) => ({
      userId,
      walletId,
      mint: order.mint,
      amount: (current?.amount ?? 0n) + 500n,
      costLamports: (current?.costLamports ?? 0n) + 1_000n,
      realizedPnlLamports: 0n,
      costUsdMicros: 150_000n,
    });
    const input = {
      orderId: order.id,
      from: getSourceStatuses("CONFIRMED"),
      patch: { amountOut: 500n, commissionLamports: 8n, slot: 7 },
      applyToPosition: fill,
    };
    const [first, second] = await Promise.all([
      store.fills.confirmFill(input),
      store.fills.confirmFill(input),
    ]);
    expect([first?.status, second?.status].filter(Boolean)).toEqual(["CONFIRMED"]);
    const position = await store.positions.get(walletId, order.mint);
    expect(position).toMatchObject({ amount: 500n, costLamports: 1_000n, costUsdMicros: 150_000n });
    const events = await store.orders.listEvents(order.id);
    expect(events.map((event) => event.status)).toEqual([
      "PENDING",
      "QUOTED",
      "SIGNED",
      "CONFIRMED",
    ]);
  });

  it("resumes signed orders and rejects unsigned ones only after the grace period", async () => {
    const old = await pending("old");
    const quoted = await pending("quoted");
    await store.orders.transition(quoted.id, ["PENDING"], "QUOTED");
    const toResume = await signed("signed");
    const resumed: string[] = [];
    const settler = {
      isSettling: () => false,
      settle: async (order: OrderRecord) => {
        resumed.push(order.id);
        return undefined;
      },
      drain: async () => {},
    } as unknown as OrderSettler;
    const reconciler = createOrderReconciler({
      store,
      settler,
      clock,
      logger: createLogger({ level: "silent" }),
      graceMs: 60_000,
    });
    expect(await reconciler.runOnce()).toEqual({ resumed: 1, abandoned: 0 });
    const fresh = await pending("fresh-after");
    clock.advance(61_000);
    const second = await pending("young");
    expect(await reconciler.runOnce()).toEqual({ resumed: 1, abandoned: 3 });
    expect(resumed).toEqual([toResume.id, toResume.id]);
    for (const id of [old.id, quoted.id, fresh.id]) {
      const order = await store.orders.findById(id);
      expect(order).toMatchObject({ status: "REJECTED", signature: null });
      expect(order?.error).toMatch(/nothing was sent/);
    }
    expect((await store.orders.findById(second.id))?.status).toBe("PENDING");
  });
});
