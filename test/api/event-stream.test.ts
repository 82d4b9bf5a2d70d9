import { randomUUID } from "node:crypto";
import { address } from "@solana/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "../../src/accounts/account-service.js";
import { createRequireAccess } from "../../src/api/route-access.js";
import { createEventRoutes, type PriceTicks } from "../../src/api/routes/event-routes.js";
import type { UserId } from "../../src/core/ids.js";
import { OspreyError } from "../../src/core/osprey-error.js";
import type { PriceTick } from "../../src/events/event-types.js";
import { createMemoryEventBus } from "../../src/events/memory-event-bus.js";
import { createRateLimiter } from "../../src/kv/rate-limiter.js";
import { createBareApi } from "../support/bare-api.js";
import { createCookieClient } from "../support/cookie-client.js";
import { describeUnless } from "../support/describe-unless.js";
import { createHttpClient } from "../support/http-client.js";
import { REDIS_SKIP_REASON } from "../support/kv-stores.js";
import { openEventStream, type SseStream } from "../support/sse-client.js";
import { startTestApp } from "../support/test-app.js";
import { useTradingApp } from "../trading/trading-setup.js";

const MINT = "So11111111111111111111111111111111111111112";
const OTHER_MINT = "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v";

/** Waits until `read()` is true, checking as the event loop turns (no fixed sleep decides). */
async function eventually(read: () => boolean, what: string) {
  for (let i = 0; i < 400; i++) {
    if (read()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`never: ${what}`);
}

describe("GET /v1/events on the HTTP layer alone", () => {
  const bus = createMemoryEventBus();
  const tickListeners: ((tick: PriceTick) => void)[] = [];
  const watched: string[] = [];
  const revoked = new Set<string>();
  const priceTicks: PriceTicks = {
    onTick: (listener) => tickListeners.push(listener),
    watch: (mint) => watched.push(mint),
  };
  let api: Awaited<ReturnType<typeof createBareApi>>;
  let url: string;
  const streams: SseStream[] = [];
  const open = async (path: string, user?: string) => {
    const stream = await openEventStream(url, path, user ? { "x-test-user": user } : {});
    streams.push(stream);
    return stream;
  };

  beforeAll(async () => {
    const kv = (await import("../../src/kv/memory-kv-store.js")).createMemoryKvStore();
    // Stands in for the real guard: the caller names itself (the real one is tested elsewhere).
    const guard = async (
      request: Parameters<Parameters<typeof createRequireAccess>[0]["guard"]>[0],
    ) => {
      const user = request.headers["x-test-user"];
      if (typeof user !== "string") throw new OspreyError("UNAUTHENTICATED");
      const principal: Principal = {
        userId: user as UserId,
        role: "user",
        via: "access-token",
        credentialId: user,
      };
      request.principal = principal;
    };
    const requireAccess = createRequireAccess({ guard, rateLimiter: createRateLimiter(kv) });
    api = await createBareApi({
      kv,
      routes: [
        createEventRoutes({
          bus,
          requireAccess,
          priceTicks,
          maxStreamsPerUser: 2,
          pingIntervalMs: 20,
          isStillAuthenticated: async (request) =>
            !revoked.has(String(request.headers["x-test-user"])),
        }),
      ],
    });
    url = await api.app.listen({ host: "127.0.0.1", port: 0 });
  });
  afterAll(async () => {
    for (const stream of streams) stream.close();
    await api.close();
  });

  it("sends ready first, then the user's events, pings, and the watched mint's ticks only", async () => {
    const stream = await open(`/v1/events?watch=${MINT}`, "u1");
    expect(stream.status).toBe(200);
    expect(stream.headers["content-type"]).toMatch(/^text\/event-stream/);
    expect(stream.headers["cache-control"]).toContain("no-cache");
    await stream.waitFor((m) => m.event === "ready");
    expect(stream.messages[0]).toEqual({ event: "ready", data: {} });
    expect(watched).toContain(MINT);

    await bus.publish("u2", { type: "balance", data: { walletId: "not-yours" } });
    await bus.publish("u1", { type: "balance", data: { walletId: "w1" } });
    for (const listener of tickListeners) {
      listener({ mint: OTHER_MINT, priceUsd: 1, priceSol: 0.01, time: 1 });
      listener({ mint: MINT, priceUsd: 150, priceSol: 1, time: 2 });
    }
    await stream.waitFor((m) => m.event === "price");
    await stream.waitFor((m) => m.event === "balance");
    await stream.waitFor((m) => m.event === "comment" && m.comment === "ping");
    const seen = stream.messages.filter((m) => m.event !== "comment");
    expect(seen).toEqual([
      { event: "ready", data: {} },
      { event: "balance", data: { walletId: "w1" } },
      { event: "price", data: { mint: MINT, priceUsd: 150, priceSol: 1, time: 2 } },
    ]);
    // Each ping keeps the watched mint in the sampler's set.
    await eventually(() => watched.filter((m) => m === MINT).length >= 2, "watch renewed");
  });

  it("removes the listener when the client goes away", async () => {
    const stream = await open("/v1/events", "u3");
    await stream.waitFor((m) => m.event === "ready");
    expect(bus.countListeners("u3")).toBe(1);
    stream.close();
    await eventually(() => bus.countListeners("u3") === 0, "listener removed");
  });

  it("caps the streams a user holds at once (429), and frees a place on disconnect", async () => {
    const first = await open("/v1/events", "u4");
    const second = await open("/v1/events", "u4");
    await first.waitFor((m) => m.event === "ready");
    await second.waitFor((m) => m.event === "ready");
    const third = await open("/v1/events", "u4");
    expect(third.status).toBe(429);
    expect(third.error.error?.code).toBe("RATE_LIMITED");
    expect(third.headers["retry-after"]).toBeDefined();
    // Another user is not counted against this one.
    const other = await open("/v1/events", "u5");
    expect(other.status).toBe(200);

    first.close();
    await eventually(() => bus.countListeners("u4") === 1, "first stream released");
    const again = await open("/v1/events", "u4");
    expect(again.status).toBe(200);
  });

  it("ends a stream once its credential no longer holds (logged out, key revoked)", async () => {
    const stream = await open("/v1/events", "u8");
    await stream.waitFor((m) => m.event === "ready");
    const kept = await open("/v1/events", "u9");
    await kept.waitFor((m) => m.event === "ready");
    revoked.add("u8");
    await stream.ended;
    await eventually(() => bus.countListeners("u8") === 0, "revoked stream released");
    expect(bus.countListeners("u9")).toBe(1);
  });

  it("refuses a bad watch with 400 and an anonymous caller with 401, holding nothing", async () => {
    const before = bus.countListeners();
    for (const watch of ["nope", "0".repeat(44), `${MINT}x`]) {
      const bad = await open(`/v1/events?watch=${encodeURIComponent(watch)}`, "u6");
      expect(bad.status).toBe(400);
      expect(bad.error.error?.code).toBe("INVALID_ADDRESS");
    }
    const anonymous = await open("/v1/events");
    expect(anonymous.status).toBe(401);
    expect(anonymous.error.error?.code).toBe("UNAUTHENTICATED");
    expect(bus.countListeners()).toBe(before);
  });

  it("ends open streams when the server closes", async () => {
    const kv = (await import("../../src/kv/memory-kv-store.js")).createMemoryKvStore();
    const ownBus = createMemoryEventBus();
    const guard = async (request: { principal: Principal | null }) => {
      request.principal = {
        userId: "u7" as UserId,
        role: "user",
        via: "access-token",
        credentialId: "c",
      };
    };
    const requireAccess = createRequireAccess({ guard, rateLimiter: createRateLimiter(kv) });
    const own = await createBareApi({
      kv,
      routes: [createEventRoutes({ bus: ownBus, requireAccess })],
    });
    const ownUrl = await own.app.listen({ host: "127.0.0.1", port: 0 });
    const stream = await openEventStream(ownUrl, "/v1/events");
    await stream.waitFor((m) => m.event === "ready");
    await own.close();
    await stream.ended;
    expect(ownBus.countListeners()).toBe(0);
  });
});

describe("GET /v1/events with orders on the sandbox", () => {
  const env = useTradingApp();
  const streams: SseStream[] = [];
  afterAll(() => {
    for (const stream of streams) stream.close();
  });

  it("streams user A's order up to CONFIRMED and a balance event to A (by cookie), nothing to B", async () => {
    const mint = env.sandbox.stack.ready.mints.BONKY ?? "";
    const web = createCookieClient(env.server.url);
    await web.logIn("stream-alice");
    const wallet = await web.call("POST", "/v1/wallets", { password: "wallet password" });
    env.sandbox.stack.sandbox.chain.airdrop(address(String(wallet.body.publicKey)), 5_000_000_000n);
    const unlocked = await web.call("POST", `/v1/wallets/${wallet.body.id}/unlock`, {
      password: "wallet password",
    });
    expect(unlocked.status).toBe(200);
    const bob = await createHttpClient(env.server.url).signUp("stream-bob");
    const bobId = String(
      (await createHttpClient(env.server.url).call("GET", "/v1/me", undefined, bob)).body.id,
    );

    const alice = await openEventStream(env.server.url, `/v1/events?watch=${mint}`, {
      cookie: web.cookieHeader(),
    });
    const bobs = await openEventStream(env.server.url, "/v1/events", bob);
    streams.push(alice, bobs);
    expect(alice.status).toBe(200);
    await alice.waitFor((m) => m.event === "ready");
    await bobs.waitFor((m) => m.event === "ready");

    const placed = await web.call(
      "POST",
      "/v1/orders",
      { side: "buy", mint, amountLamports: "100000000" },
      { "idempotency-key": "stream-buy-1" },
    );
    expect(placed.status, placed.text).toBe(202);
    const orderId = String(placed.body.id);
    const confirmed = await alice.waitFor(
      (m) => m.event === "order" && m.data.id === orderId && m.data.status === "CONFIRMED",
    );
    await alice.waitFor((m) => m.event === "balance" && m.data.walletId === wallet.body.id);
    const statuses = alice.messages
      .filter((m) => m.event === "order" && m.data.id === orderId)
      .map((m) => m.data.status);
    expect(statuses).toEqual(["QUOTED", "SIGNED", "SUBMITTED", "CONFIRMED"]);
    // The event is the order as GET /v1/orders/:id shows it.
    const fetched = await web.call("GET", `/v1/orders/${orderId}`);
    expect(confirmed.data).toEqual(fetched.body);

    // Bob's marker is published after all of Alice's events: once he has it, he would have had them.
    await env.server.app.events.publish(bobId, { type: "balance", data: { walletId: "marker" } });
    await bobs.waitFor((m) => m.event === "balance");
    expect(bobs.messages.filter((m) => m.event !== "comment")).toEqual([
      { event: "ready", data: {} },
      { event: "balance", data: { walletId: "marker" } },
    ]);
  });

  it("answers 401 without a credential", async () => {
    const anonymous = await openEventStream(env.server.url, "/v1/events");
    expect(anonymous.status).toBe(401);
    expect(anonymous.error.error?.code).toBe("UNAUTHENTICATED");
  });
});

describe("GET /v1/events and the end of a login", () => {
  let server: Awaited<ReturnType<typeof startTestApp>>;
  beforeAll(async () => {
    server = await startTestApp({}, { eventStream: { pingIntervalMs: 50 } });
  });
  afterAll(() => server.close());

  it("ends the stream of a web session that logged out, and of a revoked API key", async () => {
    const web = createCookieClient(server.url);
    await web.logIn("stream-leaver");
    const byCookie = await openEventStream(server.url, "/v1/events", {
      cookie: web.cookieHeader(),
    });
    await byCookie.waitFor((m) => m.event === "ready");
    const http = createHttpClient(server.url);
    const owner = await http.signUp("stream-keyholder");
    const key = await http.call("POST", "/v1/api-keys", { scope: "read" }, owner);
    const byKey = await openEventStream(server.url, "/v1/events", {
      "x-api-key": String(key.body.key),
    });
    const byLogin = await openEventStream(server.url, "/v1/events", owner);
    await byKey.waitFor((m) => m.event === "ready");
    await byLogin.waitFor((m) => m.event === "ready");

    expect((await web.call("POST", "/v1/auth/logout")).status).toBe(204);
    await byCookie.ended;
    expect(
      (await http.call("DELETE", `/v1/api-keys/${key.body.id}`, undefined, owner)).status,
    ).toBe(204);
    await byKey.ended;
    // The login's own stream is still open: it pings on.
    const pings = byLogin.messages.length;
    await byLogin.waitFor((m) => m.event === "comment" && byLogin.messages.indexOf(m) >= pings);
    byLogin.close();
  });
});

describeUnless(REDIS_SKIP_REASON, "GET /v1/events across two instances sharing Redis", () => {
  let first: Awaited<ReturnType<typeof startTestApp>>;
  let second: Awaited<ReturnType<typeof startTestApp>>;
  const streams: SseStream[] = [];
  beforeAll(async () => {
    const env = {
      REDIS_URL: process.env.TEST_REDIS_URL ?? "",
      REDIS_PREFIX: `osprey-test:${randomUUID()}:`,
    };
    first = await startTestApp(env);
    // The same database and Redis: two stateless instances behind one balancer.
    second = await startTestApp({ ...env, DATA_DIR: first.dataDir });
  });
  afterAll(async () => {
    for (const stream of streams) stream.close();
    await second?.close();
    await first?.close();
  });

  it("delivers an event published on one instance to the user's stream on the other, only to that user", async () => {
    const http = createHttpClient(first.url);
    const alice = await http.signUp("cross-alice");
    const bob = await http.signUp("cross-bob");
    const aliceId = String((await http.call("GET", "/v1/me", undefined, alice)).body.id);
    const bobId = String((await http.call("GET", "/v1/me", undefined, bob)).body.id);
    const onSecond = await openEventStream(second.url, "/v1/events", alice);
    const bobOnSecond = await openEventStream(second.url, "/v1/events", bob);
    streams.push(onSecond, bobOnSecond);
    await onSecond.waitFor((m) => m.event === "ready");
    await bobOnSecond.waitFor((m) => m.event === "ready");
    expect(second.app.events.kind).toBe("redis");

    await first.app.events.publish(aliceId, { type: "balance", data: { walletId: "from-first" } });
    await first.app.events.publish(bobId, { type: "balance", data: { walletId: "marker" } });
    await onSecond.waitFor((m) => m.event === "balance" && m.data.walletId === "from-first");
    await bobOnSecond.waitFor((m) => m.event === "balance");
    expect(bobOnSecond.messages.filter((m) => m.event === "balance")).toEqual([
      { event: "balance", data: { walletId: "marker" } },
    ]);

    onSecond.close();
    await eventually(() => second.app.events.countListeners(aliceId) === 0, "listener removed");
  });
});
