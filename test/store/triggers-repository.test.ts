import { expect, it } from "vitest";
import type { NewTrigger } from "../../src/automation/triggers/trigger-types.js";
import type { UserId, WalletId } from "../../src/core/ids.js";
import { describeEachDatabase } from "../support/databases.js";
import { createFakeClock } from "../support/fake-clock.js";
import { createUserWithWallet, useTestStore } from "../support/test-store.js";

const MINT = "So11111111111111111111111111111111111111112";
const MINT_B = "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v";

describeEachDatabase("triggers repository", (testDb) => {
  const clock = createFakeClock();
  const env = useTestStore(testDb, clock);

  function base(userId: UserId, walletId: WalletId): Omit<NewTrigger, "type" | "params"> {
    return {
      userId,
      walletId,
      mint: MINT,
      decimals: 6,
      triggerPrice: null,
      highWaterPrice: null,
      ocoGroup: null,
      acceptRisk: false,
      nextDueAt: null,
      expiresAt: clock.now() + 3_600_000,
      slippageBps: null,
    };
  }

  it("writes each type ARMED and reads it back with bigints, booleans and numbers restored", async () => {
    const { userId, walletId } = await createUserWithWallet(env.store, "trig-types");
    const big = 18_446_744_073_709_551_615n;
    const inputs: NewTrigger[] = [
      {
        ...base(userId, walletId),
        type: "limit_buy",
        params: { type: "limit_buy", amountLamports: big, priceUsd: "0.0123" },
        triggerPrice: "0.0123",
        acceptRisk: true,
        slippageBps: 150,
      },
      {
        ...base(userId, walletId),
        type: "take_profit",
        params: { type: "take_profit", size: { percent: 50 }, priceUsd: "2.5", changePercent: 25 },
        triggerPrice: "2.5",
      },
      {
        ...base(userId, walletId),
        type: "stop_loss",
        params: { type: "stop_loss", size: { amount: big }, priceUsd: "1" },
        triggerPrice: "1",
      },
      {
        ...base(userId, walletId),
        type: "trailing_stop",
        params: { type: "trailing_stop", size: { percent: 100 }, trailPercent: 7.5 },
        highWaterPrice: "3.25",
      },
      {
        ...base(userId, walletId),
        type: "dca",
        params: {
          type: "dca",
          amountLamports: 5n,
          intervalMs: 60_000,
          count: 3,
          priceMinUsd: "1",
          priceMaxUsd: "2",
        },
        nextDueAt: clock.now(),
      },
    ];
    for (const input of inputs) {
      const created = await env.store.triggers.create(input);
      expect(created).toMatchObject({
        ...input,
        status: "ARMED",
        firingNumber: 0,
        reasonCode: null,
        leaseOwner: null,
      });
      const read = await env.store.triggers.findById(created.id);
      expect(read).toEqual(created);
      expect(await env.store.triggers.findForUser(userId, created.id)).toEqual(created);
    }
    const limit = (await env.store.triggers.listForUser(userId, { mint: MINT })).find(
      (t) => t.type === "limit_buy",
    );
    expect(limit?.acceptRisk).toBe(true);
    expect(limit?.params).toEqual({ type: "limit_buy", amountLamports: big, priceUsd: "0.0123" });
    const raw = await env.database.db
      .selectFrom("triggers")
      .select("params")
      .where("id", "=", limit?.id ?? "")
      .executeTakeFirstOrThrow();
    expect(JSON.parse(raw.params)).toMatchObject({
      amountLamports: big.toString(),
      slippageBps: 150,
    });
  });

  it("lists only the user's own, newest first, with filters and a limit", async () => {
    const one = await createUserWithWallet(env.store, "trig-list-1");
    const two = await createUserWithWallet(env.store, "trig-list-2");
    const params = { type: "limit_buy", amountLamports: 1n, priceUsd: "1" } as const;
    const a = await env.store.triggers.create({
      ...base(one.userId, one.walletId),
      type: "limit_buy",
      params,
    });
    clock.advance(1);
    const b = await env.store.triggers.create({
      ...base(one.userId, one.walletId),
      type: "limit_buy",
      params,
      mint: MINT_B,
    });
    clock.advance(1);
    await env.store.triggers.create({
      ...base(two.userId, two.walletId),
      type: "limit_buy",
      params,
    });
    expect((await env.store.triggers.listForUser(one.userId)).map((t) => t.id)).toEqual([
      b.id,
      a.id,
    ]);
    expect(
      (await env.store.triggers.listForUser(one.userId, { mint: MINT_B })).map((t) => t.id),
    ).toEqual([b.id]);
    expect(
      (await env.store.triggers.listForUser(one.userId, { limit: 1 })).map((t) => t.id),
    ).toEqual([b.id]);
    expect(await env.store.triggers.listForUser(one.userId, { walletId: two.walletId })).toEqual(
      [],
    );
    await env.store.triggers.cancel(one.userId, a.id, "CANCELLED", "by user");
    expect(
      (await env.store.triggers.listForUser(one.userId, { status: "CANCELLED" })).map((t) => t.id),
    ).toEqual([a.id]);
    expect(await env.store.triggers.findForUser(two.userId, a.id)).toBeUndefined();
  });

  it("moves a trigger only from the statuses named, so two movers cannot both win", async () => {
    const { userId, walletId } = await createUserWithWallet(env.store, "trig-cas");
    const t = await env.store.triggers.create({
      ...base(userId, walletId),
      type: "trailing_stop",
      params: { type: "trailing_stop", size: { percent: 10 }, trailPercent: 5 },
      highWaterPrice: "1",
    });
    const [first, second] = await Promise.all([
      env.store.triggers.setStatus(t.id, ["ARMED"], "FIRING", {
        leaseOwner: "a",
        leaseUntil: 10,
        firingNumber: 1,
      }),
      env.store.triggers.setStatus(t.id, ["ARMED"], "FIRING", {
        leaseOwner: "b",
        leaseUntil: 10,
        firingNumber: 1,
      }),
    ]);
    expect([first, second].filter(Boolean)).toHaveLength(1);
    const moved = first ?? second;
    expect(moved).toMatchObject({ status: "FIRING", firingNumber: 1, leaseUntil: 10 });
    expect(await env.store.triggers.cancel(userId, t.id, "CANCELLED", "x")).toBeUndefined();
    const back = await env.store.triggers.setStatus(t.id, ["FIRING"], "ARMED", {
      leaseOwner: null,
      leaseUntil: null,
      highWaterPrice: "2",
    });
    expect(back).toMatchObject({
      status: "ARMED",
      leaseOwner: null,
      leaseUntil: null,
      highWaterPrice: "2",
      firingNumber: 1,
    });
    expect(await env.store.triggers.setStatus(t.id, ["FIRING"], "FIRED")).toBeUndefined();
    expect((await env.store.triggers.listArmed()).map((x) => x.id)).toContain(t.id);
  });

  it("cancels ARMED or PAUSED once, and only for its owner", async () => {
    const { userId, walletId } = await createUserWithWallet(env.store, "trig-cancel");
    const other = await createUserWithWallet(env.store, "trig-cancel-other");
    const t = await env.store.triggers.create({
      ...base(userId, walletId),
      type: "stop_loss",
      params: { type: "stop_loss", size: { percent: 100 }, priceUsd: "1" },
      triggerPrice: "1",
    });
    expect(await env.store.triggers.cancel(other.userId, t.id, "CANCELLED", "x")).toBeUndefined();
    expect(await env.store.triggers.cancel(userId, t.id, "CANCELLED", "by user")).toMatchObject({
      status: "CANCELLED",
      reasonCode: "CANCELLED",
      reason: "by user",
    });
    expect(await env.store.triggers.cancel(userId, t.id, "CANCELLED", "again")).toBeUndefined();
  });

  it("pauses a wallet's ARMED triggers and resumes those the new grant allows", async () => {
    const { userId, walletId } = await createUserWithWallet(env.store, "trig-pause");
    const expiresAt = clock.now() + 3_600_000;
    const tp = await env.store.triggers.create({
      ...base(userId, walletId),
      type: "take_profit",
      params: { type: "take_profit", size: { percent: 100 }, priceUsd: "9" },
      triggerPrice: "9",
      expiresAt,
    });
    const dca = await env.store.triggers.create({
      ...base(userId, walletId),
      type: "dca",
      params: { type: "dca", amountLamports: 1n, intervalMs: 1000, count: 2 },
      nextDueAt: 0,
      expiresAt,
    });
    const paused = await env.store.triggers.pauseForWallet(walletId, "GRANT_REVOKED", "revoked");
    expect(paused.map((t) => t.id).sort()).toEqual([tp.id, dca.id].sort());
    expect(paused.every((t) => t.status === "PAUSED" && t.reasonCode === "GRANT_REVOKED")).toBe(
      true,
    );
    expect(
      await env.store.triggers.resumeForWallet(walletId, {
        orderTypes: ["take_profit"],
        expiresAt: expiresAt - 1,
      }),
    ).toEqual([]);
    const resumed = await env.store.triggers.resumeForWallet(walletId, {
      orderTypes: ["take_profit"],
      expiresAt,
    });
    expect(resumed.map((t) => [t.id, t.status, t.reasonCode])).toEqual([[tp.id, "ARMED", null]]);
    expect((await env.store.triggers.findById(dca.id))?.status).toBe("PAUSED");
  });

  it("expires ARMED and PAUSED triggers past their expiry, and leaves the rest", async () => {
    const { userId, walletId } = await createUserWithWallet(env.store, "trig-expire");
    const params = { type: "limit_buy", amountLamports: 1n, priceUsd: "1" } as const;
    const soon = await env.store.triggers.create({
      ...base(userId, walletId),
      type: "limit_buy",
      params,
      expiresAt: clock.now() + 1000,
    });
    const later = await env.store.triggers.create({
      ...base(userId, walletId),
      type: "limit_buy",
      params,
      expiresAt: clock.now() + 5000,
    });
    const expired = await env.store.triggers.expireDue(clock.now() + 1000);
    expect(expired.map((t) => [t.id, t.status])).toEqual([[soon.id, "EXPIRED"]]);
    expect((await env.store.triggers.findById(later.id))?.status).toBe("ARMED");
  });

  it("links a trigger to an active one (both share a group) and refuses a finished one", async () => {
    const { userId, walletId } = await createUserWithWallet(env.store, "trig-link");
    const tp = await env.store.triggers.create({
      ...base(userId, walletId),
      type: "take_profit",
      params: { type: "take_profit", size: { percent: 100 }, priceUsd: "9" },
      triggerPrice: "9",
    });
    const sl = await env.store.triggers.createLinked(
      {
        ...base(userId, walletId),
        type: "stop_loss",
        params: { type: "stop_loss", size: { percent: 100 }, priceUsd: "1" },
        triggerPrice: "1",
      },
      tp.id,
    );
    expect(sl?.ocoGroup).toBe(tp.id);
    expect((await env.store.triggers.findById(tp.id))?.ocoGroup).toBe(tp.id);
    expect((await env.store.triggers.listGroup(tp.id)).map((t) => t.id).sort()).toEqual(
      [tp.id, sl?.id].sort(),
    );
    await env.store.triggers.cancel(userId, tp.id, "CANCELLED", "x");
    const count = (await env.store.triggers.listForUser(userId)).length;
    expect(
      await env.store.triggers.createLinked(
        {
          ...base(userId, walletId),
          type: "stop_loss",
          params: { type: "stop_loss", size: { percent: 100 }, priceUsd: "1" },
          triggerPrice: "1",
        },
        tp.id,
      ),
    ).toBeUndefined();
    expect(await env.store.triggers.listForUser(userId)).toHaveLength(count);
  });

  it("lists firings with their orders' statuses, or the firing's own when no order", async () => {
    const { userId, walletId } = await createUserWithWallet(env.store, "trig-firings");
    const t = await env.store.triggers.create({
      ...base(userId, walletId),
      type: "dca",
      params: { type: "dca", amountLamports: 1n, intervalMs: 1000, count: 2 },
      nextDueAt: 0,
    });
    expect(await env.store.triggers.listFirings([t.id])).toEqual([]);
    const now = clock.now();
    const firing = {
      triggerId: t.id,
      userId,
      grantId: "g",
      request: "{}",
      spendLamports: "1",
      reasonCode: null,
      reason: null,
      crossedAt: now,
      createdAt: now,
      updatedAt: now,
    };
    await env.database.db
      .insertInto("triggerFirings")
      .values([
        {
          ...firing,
          firingNumber: 2,
          idempotencyKey: `trigger:${t.id}:2`,
          status: "NOT_PLACED",
          orderId: null,
          reasonCode: "TRIGGER_PRICE_NOT_MET",
        },
        {
          ...firing,
          firingNumber: 1,
          idempotencyKey: `trigger:${t.id}:1`,
          status: "CLAIMED",
          orderId: null,
        },
      ])
      .execute();
    expect(await env.store.triggers.listFirings([t.id, t.id])).toEqual([
      { triggerId: t.id, firingNumber: 1, orderId: null, status: "CLAIMED", reasonCode: null },
      {
        triggerId: t.id,
        firingNumber: 2,
        orderId: null,
        status: "NOT_PLACED",
        reasonCode: "TRIGGER_PRICE_NOT_MET",
      },
    ]);
  });
});
