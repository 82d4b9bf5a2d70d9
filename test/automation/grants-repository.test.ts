import { expect, it } from "vitest";
import type { NewGrant } from "../../src/store/repositories/automation-grants-repository.js";
import type { Store } from "../../src/store/store.js";
import { describeEachDatabase } from "../support/databases.js";
import { createFakeClock } from "../support/fake-clock.js";
import { createUserWithWallet, useTestStore } from "../support/test-store.js";

const DAY = 86_400_000;
let seq = 0;

function newGrant(
  ids: { userId: NewGrant["userId"]; walletId: NewGrant["walletId"] },
  now: number,
): NewGrant {
  seq += 1;
  return {
    id: `0190a5b0-0000-7000-8000-${String(seq).padStart(12, "0")}`,
    ...ids,
    publicKey: "4Nd1mBQtrMJVYVfKf2PJy9NZUZdTAsp7D4xWLs4gDB4T",
    maxOrderLamports: 1_000_000n,
    maxDailyLamports: 5_000_000n,
    orderTypes: ["limit_buy", "stop_loss"],
    expiresAt: now + DAY,
    sealedKey: '{"nonce":"n","sealed":"s"}',
  };
}

// A firing of a trigger of the grant's wallet, with an order in `orderStatus` when given.
async function addFiring(
  store: Store,
  grant: NewGrant,
  n: number,
  spend: bigint,
  status: "CLAIMED" | "PLACED" | "NOT_PLACED",
  at: number,
  orderStatus?: string,
) {
  const { db } = store.database;
  const triggerId = `0190a5b0-0000-7000-8000-${String(9000 + n).padStart(12, "0")}`;
  await db
    .insertInto("triggers")
    .values({
      id: triggerId,
      userId: grant.userId,
      walletId: grant.walletId,
      type: "limit_buy",
      mint: "So11111111111111111111111111111111111111112",
      decimals: 6,
      status: "FIRING",
      reasonCode: null,
      reason: null,
      params: "{}",
      triggerPrice: "1",
      highWaterPrice: null,
      ocoGroup: null,
      acceptRisk: store.database.dialect === "sqlite" ? 0 : false,
      firingNumber: 1,
      nextDueAt: null,
      leaseOwner: null,
      leaseUntil: null,
      expiresAt: at + DAY,
      createdAt: at,
      updatedAt: at,
    })
    .execute();
  let orderId: string | null = null;
  if (orderStatus) {
    const { order } = await store.orders.createPending({
      userId: grant.userId,
      walletId: grant.walletId,
      side: "buy",
      mint: "So11111111111111111111111111111111111111112",
      idempotencyKey: `trigger:${triggerId}:1`,
      requestHash: "h",
      amountIn: spend,
      slippageBps: 50,
    });
    await db
      .updateTable("orders")
      .set({ status: orderStatus })
      .where("id", "=", order.id)
      .execute();
    orderId = order.id;
  }
  await db
    .insertInto("triggerFirings")
    .values({
      triggerId,
      firingNumber: 1,
      userId: grant.userId,
      grantId: grant.id,
      idempotencyKey: `trigger:${triggerId}:1`,
      request: "{}",
      spendLamports: spend.toString(),
      status,
      orderId,
      reasonCode: null,
      reason: null,
      crossedAt: at,
      createdAt: at,
      updatedAt: at,
    })
    .execute();
}

describeEachDatabase("automation grants repository", (testDb) => {
  const clock = createFakeClock();
  const env = useTestStore(testDb, clock);

  it("creates an ACTIVE grant, reads it back, and replaces it destroying the old key", async () => {
    const ids = await createUserWithWallet(env.store, "granter");
    const first = newGrant(ids, clock.now());
    const created = await env.store.automationGrants.create(first);
    expect(created.replaced).toBeNull();
    expect(created.grant).toMatchObject({
      id: first.id,
      status: "ACTIVE",
      maxOrderLamports: 1_000_000n,
    });
    expect(await env.store.automationGrants.findActive(ids.walletId)).toEqual(created.grant);
    expect(await env.store.automationGrants.findById(first.id)).toEqual(created.grant);

    clock.advance(1_000);
    const second = newGrant(ids, clock.now());
    const replaced = await env.store.automationGrants.create(second);
    expect(replaced.replaced).toMatchObject({
      id: first.id,
      status: "REVOKED",
      sealedKey: null,
      endReason: "replaced",
    });
    expect((await env.store.automationGrants.findActive(ids.walletId))?.id).toBe(second.id);
    const rows = await env.database.db
      .selectFrom("automationGrants")
      .select(["id", "status", "sealedKey"])
      .where("walletId", "=", ids.walletId)
      .execute();
    expect(rows.filter((row) => row.status === "ACTIVE")).toHaveLength(1);
    expect(rows.find((row) => row.id === first.id)?.sealedKey).toBeNull();
    expect((await env.store.automationGrants.listForUser(ids.userId)).map((g) => g.id)).toEqual([
      second.id,
      first.id,
    ]);
  });

  it("ends a grant once, setting the sealed key to NULL", async () => {
    const ids = await createUserWithWallet(env.store, "ender");
    const input = newGrant(ids, clock.now());
    await env.store.automationGrants.create(input);
    const ended = await env.store.automationGrants.end(input.id, "REVOKED", "user");
    expect(ended).toMatchObject({
      status: "REVOKED",
      sealedKey: null,
      endReason: "user",
      endedAt: clock.now(),
    });
    const row = await env.database.db
      .selectFrom("automationGrants")
      .select("sealedKey")
      .where("id", "=", input.id)
      .executeTakeFirstOrThrow();
    expect(row.sealedKey).toBeNull();
    expect(await env.store.automationGrants.end(input.id, "EXPIRED", "again")).toBeUndefined();
    expect(await env.store.automationGrants.findActive(ids.walletId)).toBeUndefined();
  });

  it("lists ACTIVE grants at or past their expiry only", async () => {
    const ids = await createUserWithWallet(env.store, "expirer");
    const input = newGrant(ids, clock.now());
    await env.store.automationGrants.create(input);
    const due = (now: number) =>
      env.store.automationGrants.listExpired(now).then((list) => list.map((g) => g.id));
    expect(await due(input.expiresAt - 1)).not.toContain(input.id);
    expect(await due(input.expiresAt)).toContain(input.id);
    await env.store.automationGrants.end(input.id, "EXPIRED", "expired");
    expect(await due(input.expiresAt)).not.toContain(input.id);
  });

  it("sums the day's spend: claimed and placed firings, not unspent orders or old ones", async () => {
    const ids = await createUserWithWallet(env.store, "spender");
    const grant = newGrant(ids, clock.now());
    await env.store.automationGrants.create(grant);
    const now = clock.now();
    await addFiring(env.store, grant, 1, 100n, "CLAIMED", now);
    await addFiring(env.store, grant, 2, 200n, "PLACED", now, "CONFIRMED");
    await addFiring(env.store, grant, 3, 400n, "PLACED", now, "SUBMITTED");
    await addFiring(env.store, grant, 4, 800n, "PLACED", now, "FAILED");
    await addFiring(env.store, grant, 5, 1_600n, "PLACED", now, "REJECTED");
    await addFiring(env.store, grant, 6, 3_200n, "NOT_PLACED", now);
    await addFiring(env.store, grant, 7, 6_400n, "PLACED", now - DAY - 1, "CONFIRMED");
    expect(await env.store.automationGrants.spentSince(grant.id, now - DAY)).toBe(700n);
    expect(await env.store.automationGrants.spentSince("other", now - DAY)).toBe(0n);
  });
});
