import { createSolanaRpcFromTransport, isSolanaError } from "@solana/kit";
import { afterEach, describe, expect, it } from "vitest";
import { createChainMetrics } from "../../src/chain/chain-metrics.js";
import { parseRpcEndpoints } from "../../src/chain/parse-rpc-endpoints.js";
import { createRpcPool, type RpcPoolOptions } from "../../src/chain/rpc-pool.js";
import { isOspreyError } from "../../src/core/index.js";
import { createMetricsRegistry } from "../../src/metrics/index.js";
import { createFakeClock, createSeededRandom } from "./fake-clock.js";
import {
  type JsonRpcTestServer,
  startJsonRpcTestServer,
  type TestReply,
} from "./json-rpc-test-server.js";

const servers: JsonRpcTestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(handler?: Parameters<typeof startJsonRpcTestServer>[0]) {
  const server = await startJsonRpcTestServer(handler);
  servers.push(server);
  return server;
}

function pool(urls: string[], extra: Partial<RpcPoolOptions> = {}) {
  const clock = createFakeClock();
  const registry = createMetricsRegistry({ defaultMetrics: false });
  const p = createRpcPool({
    endpoints: parseRpcEndpoints(urls.join(",")),
    clock,
    random: createSeededRandom(),
    timers: clock,
    metrics: createChainMetrics(registry),
    resetAfterMs: 5_000,
    ...extra,
  });
  return { clock, registry, pool: p, rpc: createSolanaRpcFromTransport(p.transport) };
}

const slot = (): TestReply => ({ result: 7 });

describe("rpc pool", () => {
  it("fails reads over to a healthy endpoint without the caller noticing", async () => {
    const bad = await serve(() => ({ status: 503 }));
    const good = await serve(slot);
    const { rpc, pool: p } = pool([bad.url, good.url]);
    for (let i = 0; i < 20; i += 1) expect(await rpc.getSlot().send()).toBe(7n);
    expect(p.getStatus()[0]?.state.kind).toBe("open");
    // Once open, the bad endpoint stops receiving traffic.
    expect(bad.calls.length).toBeLessThanOrEqual(5);
  });

  it("opens after failures, sends exactly one probe after the reset time, and closes on success", async () => {
    let failing = true;
    const flaky = await serve(() => (failing ? { status: 500 } : slot()));
    const good = await serve(slot);
    const { rpc, pool: p, clock } = pool([flaky.url, good.url]);
    while (p.getStatus()[0]?.state.kind !== "open") await rpc.getSlot().send();
    const before = flaky.calls.length;
    for (let i = 0; i < 10; i += 1) await rpc.getSlot().send();
    expect(flaky.calls.length).toBe(before);

    failing = false;
    clock.advance(5_000);
    // Many concurrent reads: the half-open endpoint gets one probe, the rest go elsewhere.
    await Promise.all(Array.from({ length: 30 }, () => rpc.getSlot().send()));
    expect(flaky.calls.length).toBe(before + 1);
    expect(p.getStatus()[0]?.state.kind).toBe("closed");
  });

  it("returns request-caused JSON-RPC errors as-is and does not count them against the endpoint", async () => {
    const only = await serve(() => ({
      error: {
        code: -32002,
        message: "Transaction simulation failed",
        data: { err: "x", logs: [] },
      },
    }));
    const { rpc, pool: p } = pool([only.url]);
    for (let i = 0; i < 10; i += 1) {
      const error = await rpc
        .getSlot()
        .send()
        .catch((e: unknown) => e);
      expect(isSolanaError(error)).toBe(true);
      expect((error as { context: { __code: number } }).context.__code).toBe(-32002);
    }
    expect(only.calls.length).toBe(10); // no failover retries for the caller's own error
    expect(p.getStatus()[0]).toMatchObject({ state: { kind: "closed" }, errors: 0, requests: 10 });
  });

  it("never retries sendTransaction through the pool", async () => {
    const a = await serve(() => ({ status: 502 }));
    const b = await serve(() => ({ status: 502 }));
    const { pool: p } = pool([a.url, b.url]);
    const payload = { jsonrpc: "2.0", id: 1, method: "sendTransaction", params: ["AA=="] };
    await expect(p.transport({ payload })).rejects.toBeDefined();
    expect(a.calls.length + b.calls.length).toBe(1);
  });

  it("honours 429 Retry-After: the endpoint is skipped for that long", async () => {
    let limited = true;
    const rl = await serve(() =>
      limited ? { status: 429, headers: { "retry-after": "7" } } : slot(),
    );
    const good = await serve(slot);
    const {
      rpc,
      pool: p,
      clock,
    } = pool([rl.url, good.url], {
      random: () => 0, // always prefer the first available endpoint
    });
    await rpc.getSlot().send();
    expect(rl.calls.length).toBe(1);
    expect(p.getStatus()[0]?.backoffUntil).toBe(clock.now() + 7_000);
    limited = false;
    clock.advance(6_999);
    for (let i = 0; i < 5; i += 1) await rpc.getSlot().send();
    expect(rl.calls.length).toBe(1);
    clock.advance(1);
    await rpc.getSlot().send();
    expect(rl.calls.length).toBe(2);
  });

  it("times requests out with the per-method timeout and fails over", async () => {
    const slow = await serve(() => ({ hang: true }));
    const good = await serve(slot);
    const {
      rpc,
      pool: p,
      clock,
    } = pool([slow.url, good.url], {
      random: () => 0,
      methodTimeoutsMs: { getSlot: 2_000 },
    });
    const pending = rpc.getSlot().send();
    while (slow.calls.length === 0) await new Promise((r) => setTimeout(r, 5));
    clock.advance(2_000);
    expect(await pending).toBe(7n);
    expect(p.getStatus()[0]).toMatchObject({ errors: 1, lastError: "timeout" });
  });

  it("a caller's abort is not counted against the endpoint", async () => {
    const slow = await serve(() => ({ hang: true }));
    const { rpc, pool: p } = pool([slow.url]);
    const controller = new AbortController();
    const pending = rpc.getSlot().send({ abortSignal: controller.signal });
    while (slow.calls.length === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort(new Error("caller gave up"));
    await expect(pending).rejects.toThrow("caller gave up");
    expect(p.getStatus()[0]).toMatchObject({ state: { kind: "closed" }, errors: 0 });
    expect(slow.calls.length).toBe(1); // and not retried elsewhere
  });

  it("throws RPC_UNAVAILABLE when no endpoint can serve a read", async () => {
    const a = await serve(() => ({ status: 500 }));
    const { rpc } = pool([a.url]);
    const error = await rpc
      .getSlot()
      .send()
      .catch((e: unknown) => e);
    expect(isOspreyError(error, "RPC_UNAVAILABLE")).toBe(true);
  });

  it("labels metrics and status without credentials or query secrets", async () => {
    let authorization: string | undefined;
    const good = await serve(slot);
    good.onHeaders = (headers) => {
      authorization = headers.authorization;
    };
    const secretUrl = `${good.url.replace("http://", "http://user:pw@")}/?api-key=SECRET`;
    const { rpc, registry, pool: p } = pool([secretUrl]);
    await rpc.getSlot().send();
    const text = await registry.metrics();
    expect(text).not.toContain("SECRET");
    expect(text).not.toContain("pw");
    expect(text).toContain(
      `rpc_requests_total{endpoint="${good.url}",method="getSlot",status="ok"} 1`,
    );
    expect(text).toContain(`rpc_circuit_state{endpoint="${good.url}"} 0`);
    expect(JSON.stringify(p.getStatus())).not.toContain("SECRET");
    expect(authorization).toBe(`Basic ${Buffer.from("user:pw").toString("base64")}`);
  });
});
