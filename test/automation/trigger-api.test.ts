import { expect, it } from "vitest";
import type { UserEvent } from "../../src/events/event-types.js";
import { describeEachDatabaseKind } from "../support/databases.js";
import type { Json } from "../support/http-client.js";
import { createTrader, useTradingApp } from "../trading/trading-setup.js";
import {
  buy,
  countTriggers,
  grantFor,
  priceOf,
  SOL,
  TRIGGER_APP_ENV,
  triggerClient,
  userIdOf,
} from "./trigger-api-setup.js";

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const fmt = (n: number) =>
  n.toLocaleString("en-US", { useGrouping: false, maximumFractionDigits: 18 });

describeEachDatabaseKind("trigger API on the sandbox [%s]", (database) => {
  const env = useTradingApp(database, () => ({}), TRIGGER_APP_ENV);
  const mint = (symbol: string) => env.sandbox.stack.ready.mints[symbol] ?? "";

  it("arms each type, answers 201 with its JSON, reads it back, and announces it", async () => {
    const trader = await createTrader(env.sandbox, env.server.url, "arm-each");
    const grant = await grantFor(env.server, trader);
    const api = triggerClient(env.server.url, trader);
    const events: UserEvent[] = [];
    const stop = await env.server.app.events.subscribe(
      await userIdOf(env.server, trader.walletId),
      (event) => events.push(event),
    );
    const bonky = mint("BONKY");
    await buy(trader, bonky, SOL / 10n, "arm-each-buy");
    const price = await priceOf(env.sandbox, bonky);

    const limit = await api.create({
      type: "limit_buy",
      mint: mint("WIFY"),
      amountLamports: "100000000",
      priceUsd: "0.000000001",
      slippageBps: 300,
    });
    expect(limit.status, limit.text).toBe(201);
    expect(limit.body).toMatchObject({
      walletId: trader.walletId,
      type: "limit_buy",
      mint: mint("WIFY"),
      status: "ARMED",
      reasonCode: null,
      reason: null,
      params: {
        type: "limit_buy",
        amountLamports: "100000000",
        priceUsd: "0.000000001",
        slippageBps: 300,
        acceptRisk: false,
      },
      triggerPriceUsd: "0.000000001",
      highWaterPriceUsd: null,
      linkedTriggerIds: [],
      firingCount: 0,
      nextDueAt: null,
      expiresAt: new Date(grant.expiresAt).toISOString(),
      orders: [],
    });
    expect(limit.body.createdAt).toMatch(ISO);

    const tp = await api.create({
      type: "take_profit",
      mint: bonky,
      priceUsd: fmt(price * 3),
      percent: 50,
    });
    expect(tp.status, tp.text).toBe(201);
    expect(tp.body).toMatchObject({
      type: "take_profit",
      triggerPriceUsd: fmt(price * 3),
      params: { size: { percent: 50 }, priceUsd: fmt(price * 3) },
    });

    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const sl = await api.create({
      type: "stop_loss",
      mint: bonky,
      priceUsd: fmt(price / 3),
      amount: "1000",
      expiresAt,
    });
    expect(sl.status, sl.text).toBe(201);
    expect(sl.body).toMatchObject({
      type: "stop_loss",
      expiresAt,
      params: { size: { amount: "1000" } },
    });

    const trail = await api.create({
      type: "trailing_stop",
      mint: bonky,
      trailPercent: 50,
      percent: 100,
    });
    expect(trail.status, trail.text).toBe(201);
    expect(trail.body).toMatchObject({
      type: "trailing_stop",
      triggerPriceUsd: null,
      params: { trailPercent: 50, size: { percent: 100 } },
    });
    // The high-water mark starts at the price when armed (the market may have moved a little since).
    expect(Number(trail.body.highWaterPriceUsd)).toBeCloseTo(price, 6);

    const before = Date.now();
    const dca = await api.create({
      type: "dca",
      mint: mint("WIFY"),
      amountLamports: "50000000",
      intervalSeconds: 2,
      count: 3,
      priceMinUsd: "0.000001",
      priceMaxUsd: "1000000",
    });
    expect(dca.status, dca.text).toBe(201);
    expect(dca.body).toMatchObject({
      type: "dca",
      status: "ARMED",
      triggerPriceUsd: null,
      params: {
        amountLamports: "50000000",
        intervalMs: 2000,
        intervalSeconds: 2,
        count: 3,
        priceMinUsd: "0.000001",
        priceMaxUsd: "1000000",
      },
    });
    // The first buy is due at once.
    expect(Date.parse(String(dca.body.nextDueAt))).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(String(dca.body.nextDueAt))).toBeLessThanOrEqual(Date.now());

    for (const created of [limit, tp, sl, trail]) {
      const read = await api.get(String(created.body.id));
      expect(read.status).toBe(200);
      expect(read.body).toEqual(created.body);
    }
    // A DCA may already be firing once a runner is wired: its identity and terms stay.
    const readDca = await api.get(String(dca.body.id));
    expect(readDca.body).toMatchObject({ id: dca.body.id, type: "dca", params: dca.body.params });

    for (let i = 0; i < 50 && events.filter((e) => e.type === "trigger").length < 5; i++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    stop();
    const announced = events.filter((e) => e.type === "trigger").map((e) => (e.data as Json).id);
    for (const created of [limit, tp, sl, trail, dca]) expect(announced).toContain(created.body.id);
  }, 60_000);

  it("lists the caller's own triggers newest first, with filters and a limit", async () => {
    const trader = await createTrader(env.sandbox, env.server.url, "lister");
    const other = await createTrader(env.sandbox, env.server.url, "lister-other");
    await grantFor(env.server, trader);
    await grantFor(env.server, other);
    const api = triggerClient(env.server.url, trader);
    const body = { type: "limit_buy", amountLamports: "1000000", priceUsd: "0.0000001" };
    const a = await api.create({ ...body, mint: mint("WIFY") });
    const b = await api.create({ ...body, mint: mint("GLIDE") });
    const c = await api.create({ ...body, mint: mint("WIFY") });
    await triggerClient(env.server.url, other).create({ ...body, mint: mint("WIFY") });
    await api.cancel(String(b.body.id));
    const ids = (result: { body: Json }) => (result.body.triggers as Json[]).map((t) => t.id);

    expect(ids(await api.list())).toEqual([c.body.id, b.body.id, a.body.id]);
    expect(ids(await api.list(`?mint=${mint("WIFY")}`))).toEqual([c.body.id, a.body.id]);
    expect(ids(await api.list("?status=CANCELLED"))).toEqual([b.body.id]);
    expect(ids(await api.list(`?walletId=${trader.walletId}&limit=2`))).toEqual([
      c.body.id,
      b.body.id,
    ]);
    expect(ids(await api.list(`?walletId=${other.walletId}`))).toEqual([]);
    const listed = (await api.list()).body.triggers as Json[];
    expect(listed[0]).toEqual((await api.get(String(c.body.id))).body);

    for (const query of [
      "?status=SLEEPING",
      "?limit=0",
      "?limit=201",
      "?walletId=nope",
      "?color=red",
    ]) {
      const refused = await api.list(query);
      expect(refused.status, query).toBe(400);
      expect(refused.body.error?.code).toBe("INVALID_INPUT");
    }
  }, 60_000);

  it("cancels an armed trigger once: a second cancel is 409, another user's is 404", async () => {
    const trader = await createTrader(env.sandbox, env.server.url, "canceller");
    const other = await createTrader(env.sandbox, env.server.url, "canceller-other");
    await grantFor(env.server, trader);
    const api = triggerClient(env.server.url, trader);
    const created = await api.create({
      type: "limit_buy",
      mint: mint("WIFY"),
      amountLamports: "1000000",
      priceUsd: "0.0000001",
    });
    const id = String(created.body.id);

    const stranger = await triggerClient(env.server.url, other).cancel(id);
    expect(stranger.status).toBe(404);
    expect(stranger.body.error?.code).toBe("TRIGGER_NOT_FOUND");
    expect((await triggerClient(env.server.url, other).get(id)).status).toBe(404);

    const cancelled = await api.cancel(id);
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelled.body).toMatchObject({ id, status: "CANCELLED", reasonCode: "CANCELLED" });
    const again = await api.cancel(id);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({
      code: "TRIGGER_NOT_ACTIVE",
      details: { status: "CANCELLED" },
    });
    expect((await api.get(id)).body).toEqual(cancelled.body);
    for (const missing of ["0190a5b0-0000-7000-8000-00000000dead", "not-an-id"]) {
      expect((await api.get(missing)).body.error?.code).toBe("TRIGGER_NOT_FOUND");
      expect((await api.cancel(missing)).body.error?.code).toBe("TRIGGER_NOT_FOUND");
    }
  }, 60_000);

  it("links a take-profit and a stop-loss (one cancels the other), and refuses a bad link", async () => {
    const trader = await createTrader(env.sandbox, env.server.url, "linker");
    const other = await createTrader(env.sandbox, env.server.url, "linker-other");
    await grantFor(env.server, trader);
    await grantFor(env.server, other);
    const api = triggerClient(env.server.url, trader);
    const glide = mint("GLIDE");
    await buy(trader, glide, SOL / 10n, "linker-buy");
    await buy(other, glide, SOL / 10n, "linker-other-buy");
    const price = await priceOf(env.sandbox, glide);
    const tp = await api.create({
      type: "take_profit",
      mint: glide,
      priceUsd: fmt(price * 2),
      percent: 100,
    });
    const sl = await api.create({
      type: "stop_loss",
      mint: glide,
      priceUsd: fmt(price / 2),
      percent: 100,
      linkedTo: tp.body.id,
    });
    expect(sl.status, sl.text).toBe(201);
    expect(sl.body.linkedTriggerIds).toEqual([tp.body.id]);
    expect((await api.get(String(tp.body.id))).body.linkedTriggerIds).toEqual([sl.body.id]);

    const rows = await countTriggers(env.server);
    const limitBuy = await api.create({
      type: "limit_buy",
      mint: glide,
      amountLamports: "1000000",
      priceUsd: "0.0000001",
    });
    const otherTp = await triggerClient(env.server.url, other).create({
      type: "take_profit",
      mint: glide,
      priceUsd: fmt(price * 2),
      percent: 100,
    });
    const refusals: [unknown, number, string][] = [
      [limitBuy.body.id, 400, "INVALID_INPUT"],
      [sl.body.id, 400, "INVALID_INPUT"],
      [otherTp.body.id, 404, "TRIGGER_NOT_FOUND"],
      ["0190a5b0-0000-7000-8000-00000000dead", 404, "TRIGGER_NOT_FOUND"],
    ];
    for (const [linkedTo, status, code] of refusals) {
      const refused = await api.create({
        type: "stop_loss",
        mint: glide,
        priceUsd: fmt(price / 2),
        percent: 100,
        linkedTo,
      });
      expect(refused.status, refused.text).toBe(status);
      expect(refused.body.error?.code).toBe(code);
    }
    await api.cancel(String(limitBuy.body.id));
    const cancelledTp = await api.create({
      type: "take_profit",
      mint: glide,
      priceUsd: fmt(price * 2),
      percent: 100,
    });
    await api.cancel(String(cancelledTp.body.id));
    const late = await api.create({
      type: "stop_loss",
      mint: glide,
      priceUsd: fmt(price / 2),
      percent: 100,
      linkedTo: cancelledTp.body.id,
    });
    expect(late.status).toBe(409);
    expect(late.body.error?.code).toBe("TRIGGER_NOT_ACTIVE");
    // Only the three created on purpose (the other's TP, the limit buy, the cancelled TP).
    expect(await countTriggers(env.server)).toBe(rows + 3);
  }, 60_000);

  it("pauses a wallet's triggers with a reason, resumes them, and lets a paused one be cancelled", async () => {
    const trader = await createTrader(env.sandbox, env.server.url, "pauser");
    const grant = await grantFor(env.server, trader);
    const api = triggerClient(env.server.url, trader);
    const triggers = env.server.app.triggers;
    if (!triggers) throw new Error("the app has no trigger service");
    const events: UserEvent[] = [];
    const stop = await env.server.app.events.subscribe(
      await userIdOf(env.server, trader.walletId),
      (event) => events.push(event),
    );
    const body = {
      type: "limit_buy",
      mint: mint("WIFY"),
      amountLamports: "1000000",
      priceUsd: "0.0000001",
    };
    const one = String((await api.create(body)).body.id);
    const two = String((await api.create(body)).body.id);
    const walletId = trader.walletId as never;

    const paused = await triggers.pauseForWallet(
      walletId,
      "GRANT_REVOKED",
      "The grant was revoked.",
    );
    expect(paused.map((t) => t.id).sort()).toEqual([one, two].sort());
    expect((await api.get(one)).body).toMatchObject({
      status: "PAUSED",
      reasonCode: "GRANT_REVOKED",
      reason: "The grant was revoked.",
    });
    const resumed = await triggers.resumeForWallet(walletId, grant);
    expect(resumed.map((t) => t.id).sort()).toEqual([one, two].sort());
    expect((await api.get(one)).body).toMatchObject({
      status: "ARMED",
      reasonCode: null,
      reason: null,
    });

    await triggers.pauseForWallet(walletId, "GRANT_EXPIRED", "The grant expired.");
    const cancelled = await api.cancel(two);
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelled.body).toMatchObject({ status: "CANCELLED", reasonCode: "CANCELLED" });
    expect((await triggers.resumeForWallet(walletId, grant)).map((t) => t.id)).toEqual([one]);

    for (let i = 0; i < 50 && events.length < 8; i++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    stop();
    const statuses = events
      .filter((e) => e.type === "trigger" && (e.data as Json).id === one)
      .map((e) => (e.data as Json).status);
    expect(statuses).toEqual(["ARMED", "PAUSED", "ARMED", "PAUSED", "ARMED"]);
  }, 60_000);

  it("sets a relative take-profit and stop-loss from the average cost of a real buy", async () => {
    const trader = await createTrader(env.sandbox, env.server.url, "relative");
    await grantFor(env.server, trader);
    const api = triggerClient(env.server.url, trader);
    const popy = mint("POPY");
    await buy(trader, popy, SOL / 5n, "relative-buy");
    const position = await env.server.app.store.positions.get(trader.walletId as never, popy);
    const decimals = Number((await trader.get(`/v1/tokens/${popy}`)).body.decimals);
    expect(position && position.costUsdMicros > 0n).toBe(true);
    const average =
      (Number(position?.costUsdMicros) / 1e6 / Number(position?.amount)) * 10 ** decimals;

    const tp = await api.create({
      type: "take_profit",
      mint: popy,
      changePercent: 50,
      percent: 100,
    });
    expect(tp.status, tp.text).toBe(201);
    expect(tp.body.params).toMatchObject({ changePercent: 50 });
    expect(Number(tp.body.triggerPriceUsd) / (average * 1.5)).toBeCloseTo(1, 9);
    const sl = await api.create({ type: "stop_loss", mint: popy, changePercent: 40, percent: 100 });
    expect(sl.status, sl.text).toBe(201);
    expect(Number(sl.body.triggerPriceUsd) / (average * 0.6)).toBeCloseTo(1, 9);
    expect(sl.body.params).toMatchObject({ changePercent: 40, priceUsd: sl.body.triggerPriceUsd });
  }, 60_000);
});
