import { createSolanaRpcFromTransport } from "@solana/kit";
import { describe, expect, it } from "vitest";
import { createChainMetrics } from "../../src/chain/chain-metrics.js";
import { getWireSignature } from "../../src/chain/get-wire-signature.js";
import {
  createLandingRoutes,
  createRpcLandingRoute,
  type LandingRoute,
} from "../../src/chain/landing-routes.js";
import type { LandingEvent, LandingOutcome } from "../../src/chain/landing-types.js";
import { createSignatureStatusPoller } from "../../src/chain/signature-status-poller.js";
import { createTransactionLander } from "../../src/chain/transaction-lander.js";
import { isOspreyError } from "../../src/core/index.js";
import { createMetricsRegistry } from "../../src/metrics/index.js";
import { createFakeChain } from "./fake-chain.js";
import { createFakeClock, createSeededRandom } from "./fake-clock.js";
import { makeSignedTransfers } from "./signed-transfers.js";

function setup(endpointCount = 2, options: { preflight?: boolean } = {}) {
  const clock = createFakeClock();
  const chain = createFakeChain({ random: createSeededRandom(7) });
  const endpoints = Array.from({ length: endpointCount }, () => chain.endpoint());
  const first = endpoints[0] as NonNullable<(typeof endpoints)[0]>;
  const registry = createMetricsRegistry({ defaultMetrics: false });
  const poller = createSignatureStatusPoller({
    rpc: createSolanaRpcFromTransport(first.transport),
    timers: clock,
    clock,
    intervalMs: 400,
  });
  const events: LandingEvent[] = [];
  const lander = createTransactionLander({
    endpoints: endpoints.map((endpoint, i) => ({
      label: `e${i}`,
      rpc: createSolanaRpcFromTransport(endpoint.transport),
      isAvailable: () => true,
    })),
    transport: first.transport,
    poller,
    clock,
    timers: clock,
    rebroadcastMs: 2_000,
    metrics: createChainMetrics(registry),
    onEvent: (event) => events.push(event),
    ...options,
  });
  /** One 400 ms slot: time passes, then a block is produced. */
  async function slots(n: number): Promise<void> {
    for (let i = 0; i < n; i += 1) {
      await clock.advanceAsync(400, 100);
      chain.produceBlock();
    }
  }
  async function until(promises: Promise<unknown>[], maxSlots: number): Promise<void> {
    let done = 0;
    for (const p of promises) p.finally(() => (done += 1)).catch(() => {});
    for (let i = 0; i < maxSlots && done < promises.length; i += 1) await slots(1);
  }
  return { clock, chain, endpoints, lander, poller, events, registry, slots, until };
}

describe("transaction lander (scripted chain)", () => {
  it("sends to every endpoint, rebroadcasts the same bytes, and resolves confirmed once", async () => {
    const { chain, endpoints, lander, events, slots, until, registry } = setup(3);
    for (const e of endpoints) e.dropRate = 1;
    const [tx = ""] = await makeSignedTransfers(1);
    const outcome = lander.land({
      transaction: tx,
      lastValidBlockHeight: chain.getHeight() + 150n,
    });
    await slots(12); // ~4.8 s of dropped copies
    for (const e of endpoints) e.dropRate = 0;
    await until([outcome], 20);
    const result = await outcome;
    expect(result).toMatchObject({ kind: "confirmed", signature: getWireSignature(tx) });
    for (const e of endpoints) {
      expect(e.sends.length).toBeGreaterThanOrEqual(3);
      expect(new Set(e.sends)).toEqual(new Set([tx])); // never re-signed
    }
    expect(events[0]).toMatchObject({ kind: "first-send", endpoints: 3 });
    expect(events.filter((e) => e.kind === "rebroadcast").length).toBeGreaterThanOrEqual(2);
    expect(await registry.metrics()).toContain('transactions_landed_total{outcome="confirmed"} 1');
    expect(lander.inFlight()).toBe(0);
  });

  it("shares one batched status poll across concurrent landings", async () => {
    const { chain, lander, until } = setup(2);
    const txs = await makeSignedTransfers(40);
    const outcomes = txs.map((tx) =>
      lander.land({ transaction: tx, lastValidBlockHeight: chain.getHeight() + 150n }),
    );
    await until(outcomes, 10);
    const results = await Promise.all(outcomes);
    expect(results.every((r) => r.kind === "confirmed")).toBe(true);
    // ~3 rounds of polling, not 40 × 3.
    expect(chain.calls.getSignatureStatuses).toBeLessThanOrEqual(10);
  });

  it("resolves failed with the on-chain error, once, and stops rebroadcasting", async () => {
    const { chain, endpoints, lander, slots, until } = setup(2);
    const [tx = ""] = await makeSignedTransfers(1);
    const error = { InstructionError: [0, { Custom: 1n }] };
    chain.failures.set(getWireSignature(tx), error);
    const outcomes: LandingOutcome[] = [];
    const outcome = lander.land({
      transaction: tx,
      lastValidBlockHeight: chain.getHeight() + 150n,
    });
    outcome.then((o) => outcomes.push(o));
    await until([outcome], 10);
    const result = await outcome;
    expect(result.kind).toBe("failed");
    expect(
      JSON.stringify((result as { error: unknown }).error, (_, v) =>
        typeof v === "bigint" ? Number(v) : v,
      ),
    ).toBe('{"InstructionError":[0,{"Custom":1}]}');
    const sent = endpoints.map((e) => e.sends.length);
    await slots(20);
    expect(endpoints.map((e) => e.sends.length)).toEqual(sent);
    expect(outcomes.length).toBe(1);
  });

  it("with every send dropped, resolves expired only after the block height passes lastValidBlockHeight", async () => {
    const { chain, endpoints, lander, slots, until } = setup(2);
    for (const e of endpoints) e.dropRate = 1;
    const [tx = ""] = await makeSignedTransfers(1);
    const lastValidBlockHeight = chain.getHeight() + 10n;
    let outcome: LandingOutcome | undefined;
    const landing = lander.land({ transaction: tx, lastValidBlockHeight });
    landing.then((o) => (outcome = o));
    while (chain.getHeight() <= lastValidBlockHeight) {
      expect(outcome).toBeUndefined();
      await slots(1);
    }
    await until([landing], 10);
    expect(outcome).toMatchObject({ kind: "expired", lastValidBlockHeight });
    expect((outcome as { blockHeight: bigint }).blockHeight).toBeGreaterThan(lastValidBlockHeight);
  });

  it("a copy landing late, in the last valid block, is confirmed and not expired", async () => {
    const { chain, endpoints, lander, slots, until } = setup(1);
    const only = endpoints[0] as NonNullable<(typeof endpoints)[0]>;
    only.dropRate = 1;
    const [tx = ""] = await makeSignedTransfers(1);
    const lastValidBlockHeight = chain.getHeight() + 12n;
    const landing = lander.land({ transaction: tx, lastValidBlockHeight });
    while (chain.getHeight() < lastValidBlockHeight - 6n) await slots(1);
    only.dropRate = 0;
    await until([landing], 20);
    expect((await landing).kind).toBe("confirmed");
  });

  it("resumes tracking from stored bytes after a restart", async () => {
    const first = setup(1);
    const [tx = ""] = await makeSignedTransfers(1);
    const lastValidBlockHeight = first.chain.getHeight() + 150n;
    const landing = first.lander.land({ transaction: tx, lastValidBlockHeight });
    landing.catch(() => {});
    await first.clock.advanceAsync(50);
    first.lander.close(); // crash before confirmation
    await expect(landing).rejects.toSatisfy((e: unknown) => isOspreyError(e, "LANDER_CLOSED"));
    // Only the stored bytes and lastValidBlockHeight carry over into resume().
    const { lander } = first;
    const resumed = lander.resume({ transaction: tx, lastValidBlockHeight });
    await first.until([resumed], 10);
    expect((await resumed).kind).toBe("confirmed");
  });

  it("a preflight rejection resolves failed without broadcasting", async () => {
    const { endpoints, lander, chain, until } = setup(2, { preflight: true });
    const [tx = ""] = await makeSignedTransfers(1);
    chain.failures.set(getWireSignature(tx), { InstructionError: [0, { Custom: 6001 }] });
    const landing = lander.land({
      transaction: tx,
      lastValidBlockHeight: chain.getHeight() + 150n,
    });
    await until([landing], 5);
    const result = await landing;
    expect(result).toMatchObject({ kind: "failed" });
    expect("slot" in result).toBe(false);
    // Only the preflight copy went out; it was refused.
    expect(endpoints.reduce((n, e) => n + e.sends.length, 0)).toBe(1);
    expect(chain.isLanded(getWireSignature(tx))).toBe(false);
  });

  it("a passing preflight is followed by the broadcast", async () => {
    const { endpoints, lander, chain, until } = setup(2, { preflight: true });
    const [tx = ""] = await makeSignedTransfers(1);
    const landing = lander.land({
      transaction: tx,
      lastValidBlockHeight: chain.getHeight() + 150n,
    });
    await until([landing], 5);
    expect((await landing).kind).toBe("confirmed");
    expect(endpoints.every((e) => e.sends.length >= 1)).toBe(true);
  });

  it("abort stops tracking", async () => {
    const { lander, chain } = setup(1);
    const [tx = ""] = await makeSignedTransfers(1);
    const controller = new AbortController();
    const landing = lander.land({
      transaction: tx,
      lastValidBlockHeight: chain.getHeight() + 5n,
      signal: controller.signal,
    });
    controller.abort(new Error("user gave up"));
    await expect(landing).rejects.toThrow("user gave up");
    expect(lander.inFlight()).toBe(0);
  });
});

describe("transaction lander: routes and cadence (scripted chain, fake clock)", () => {
  function setupRoutes() {
    const clock = createFakeClock();
    const chain = createFakeChain({ random: createSeededRandom(11) });
    const [a, b, c] = [chain.endpoint(), chain.endpoint(), chain.endpoint()];
    const toRoute = (
      endpoint: ReturnType<typeof chain.endpoint>,
      kind: LandingRoute["kind"],
      label: string,
    ): LandingRoute => ({
      ...createRpcLandingRoute({
        label,
        rpc: createSolanaRpcFromTransport(endpoint.transport),
        isAvailable: () => true,
      }),
      kind,
    });
    let hanging = 0;
    const hangingRoute: LandingRoute = {
      kind: "sender",
      label: "hanging",
      isAvailable: () => true,
      send: () => {
        hanging += 1;
        return new Promise(() => {}); // never answers
      },
    };
    const rpcEndpoints = [a, b];
    const poller = createSignatureStatusPoller({
      rpc: createSolanaRpcFromTransport(a.transport),
      timers: clock,
      clock,
      intervalMs: 400,
    });
    const registry = createMetricsRegistry({ defaultMetrics: false });
    const lander = createTransactionLander({
      endpoints: rpcEndpoints.map((endpoint, i) => ({
        label: `rpc${i}`,
        rpc: createSolanaRpcFromTransport(endpoint.transport),
        isAvailable: () => true,
      })),
      routes: createLandingRoutes(
        [toRoute(a, "rpc", "rpc0"), toRoute(b, "rpc", "rpc1")],
        [toRoute(c, "jito", "private"), hangingRoute],
      ),
      transport: a.transport,
      poller,
      clock,
      timers: clock,
      preflight: true,
      metrics: createChainMetrics(registry),
    });
    return { clock, chain, a, b, c, lander, registry, hanging: () => hanging };
  }

  it("rebroadcasts every 400 ms by default, to every route, timed from dispatch; a hanging route gets one copy", async () => {
    const { clock, chain, a, b, c, lander, hanging } = setupRoutes();
    for (const e of [a, b, c]) e.dropRate = 1;
    const [tx = ""] = await makeSignedTransfers(1);
    const landing = lander.land({
      transaction: tx,
      lastValidBlockHeight: chain.getHeight() + 150n,
    });
    landing.catch(() => {});
    await clock.advanceAsync(4_000, 50);
    // Copies at ~0, 400, …, 4000 ms (the first waits for the preflight): 10 or 11 rounds, not 2
    // as with a 2 s period. The preflight went to one public endpoint only.
    for (const e of [b, c]) {
      expect(e.sends.length).toBeGreaterThanOrEqual(10);
      expect(e.sends.length).toBeLessThanOrEqual(11);
    }
    expect(a.sends.length + b.sends.length).toBe(2 * c.sends.length + 1);
    expect(hanging()).toBe(1);
    lander.close();
  });

  it("a protected landing goes to the private routes only, with no preflight", async () => {
    const { clock, chain, a, b, c, lander, registry } = setupRoutes();
    const [tx = ""] = await makeSignedTransfers(1);
    const landing = lander.land({
      transaction: tx,
      lastValidBlockHeight: chain.getHeight() + 150n,
      route: "protected",
    });
    for (let i = 0; i < 10; i += 1) {
      await clock.advanceAsync(400, 50);
      chain.produceBlock();
    }
    expect((await landing).kind).toBe("confirmed");
    expect(a.sends.length + b.sends.length).toBe(0);
    expect(c.sends.length).toBeGreaterThanOrEqual(1);
    expect(await registry.metrics()).toContain(
      'landing_sends_total{route="jito",result="accepted"} ',
    );
  });
});
