import { createSolanaRpcFromTransport, isSolanaError } from "@solana/kit";
import { afterEach, describe, expect, it } from "vitest";
import { createBlockhashCache } from "../../src/chain/blockhash-cache.js";
import { parseRpcEndpoints } from "../../src/chain/parse-rpc-endpoints.js";
import { createRpcPool } from "../../src/chain/rpc-pool.js";
import { systemTimers } from "../../src/chain/timers.js";
import { systemClock } from "../../src/core/index.js";
import { type RunningSandbox, startSandbox } from "../../src/sandbox/index.js";
import { createFakeClock, createSeededRandom } from "./fake-clock.js";
import { createCountingHttp, createFundedPayer, signTransfer } from "./sandbox-helpers.js";

let sandbox: RunningSandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

describe("rpc pool against the sandbox", () => {
  it.each([
    ["one by one", 1],
    ["in JSON-RPC batches", 50],
  ])(
    "one endpoint down and one failing 50%: 1,000 reads all succeed, sent %s",
    async (_, maxBatch) => {
      sandbox = await startSandbox({
        endpoints: 3,
        slotMs: 100,
        faults: [{}, { down: true }, { errorRate: 0.5 }],
      });
      const pool = createRpcPool({
        endpoints: parseRpcEndpoints(sandbox.rpcUrls.join(",")),
        clock: systemClock,
        random: createSeededRandom(1),
        timers: systemTimers,
        resetAfterMs: 300, // short, so the broken endpoints keep being probed during the run
        maxBatch,
      });
      const rpc = createSolanaRpcFromTransport(pool.transport);
      const faucet = sandbox.chain.faucetAddress;
      let succeeded = 0;
      for (let batch = 0; batch < 100; batch += 1) {
        // Distinct params, so kit's per-endpoint coalescing can't merge them: 1,000 real requests.
        const reads = Array.from({ length: 10 }, (_, i) =>
          rpc.getBalance(faucet, { minContextSlot: BigInt(batch * 10 + i) }).send(),
        );
        succeeded += (await Promise.all(reads)).length;
      }
      expect(succeeded).toBe(1_000);
      const [healthy, down, flaky] = pool.getStatus();
      expect(healthy?.errors).toBe(0);
      expect(down?.lastError).toBe("network");
      expect(flaky?.errors).toBeGreaterThan(0);
    },
  );

  it("a failing endpoint opens, gets exactly one probe after the reset time, and closes on success", async () => {
    sandbox = await startSandbox({ endpoints: 2, slotMs: 100, faults: [{ errorRate: 1 }, {}] });
    const clock = createFakeClock();
    const http = createCountingHttp();
    const pool = createRpcPool({
      endpoints: parseRpcEndpoints(sandbox.rpcUrls.join(",")),
      clock,
      random: () => 0, // prefer the first endpoint whenever it is available
      timers: clock,
      resetAfterMs: 10_000,
      createHttpTransport: http.createHttpTransport,
    });
    const rpc = createSolanaRpcFromTransport(pool.transport);
    const [first] = pool.getStatus().map((s) => s.endpoint);
    const label = first as string;
    for (let i = 0; i < 5; i += 1) await rpc.getBlockHeight().send();
    expect(pool.getStatus()[0]?.state.kind).toBe("open");
    expect(http.count(label, "getBlockHeight")).toBe(5);
    for (let i = 0; i < 20; i += 1) await rpc.getBlockHeight().send();
    expect(http.count(label, "getBlockHeight")).toBe(5);

    const faucet = sandbox.chain.faucetAddress;
    await sandbox.setFaults(0, { errorRate: 0 });
    clock.advance(10_000);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        rpc.getBalance(faucet, { minContextSlot: BigInt(i) }).send(),
      ),
    );
    expect(http.count(label, "getBalance")).toBe(1);
    expect(pool.getStatus()[0]?.state.kind).toBe("closed");
  });

  it("a preflight failure comes back to the caller and does not open the breaker", async () => {
    sandbox = await startSandbox({ endpoints: 1, slotMs: 100 });
    const pool = createRpcPool({
      endpoints: parseRpcEndpoints(sandbox.rpcUrls[0] as string),
      clock: systemClock,
      random: Math.random,
      timers: systemTimers,
    });
    const rpc = createSolanaRpcFromTransport(pool.transport);
    const blockhash = await createBlockhashCache({
      rpc,
      clock: systemClock,
      timers: systemTimers,
    }).get();
    const broke = await createFundedPayer(() => {}); // never funded
    for (let i = 0; i < 8; i += 1) {
      const tx = await signTransfer(broke, BigInt(i + 1), blockhash);
      const error = await rpc
        .sendTransaction(tx as Parameters<typeof rpc.sendTransaction>[0], {
          encoding: "base64",
          preflightCommitment: "confirmed",
        })
        .send()
        .catch((e: unknown) => e);
      expect(isSolanaError(error, -32002)).toBe(true);
    }
    expect(pool.getStatus()[0]).toMatchObject({ state: { kind: "closed" }, errors: 0 });
  });

  it("a 429 with Retry-After keeps the endpoint out of rotation for that long", async () => {
    sandbox = await startSandbox({ endpoints: 2, slotMs: 100, faults: [{ rateLimit: 1 }, {}] });
    const clock = createFakeClock();
    const http = createCountingHttp();
    const pool = createRpcPool({
      endpoints: parseRpcEndpoints(sandbox.rpcUrls.join(",")),
      clock,
      random: () => 0,
      timers: clock,
      createHttpTransport: http.createHttpTransport,
    });
    const rpc = createSolanaRpcFromTransport(pool.transport);
    const label = pool.getStatus()[0]?.endpoint as string;
    await rpc.getSlot().send();
    await rpc.getSlot().send(); // over the limit: 429 there, answered by the other endpoint
    const status = pool.getStatus()[0];
    expect(status?.lastError).toBe("http-429");
    const retryAfterMs = (status?.backoffUntil ?? 0) - clock.now();
    expect(retryAfterMs).toBeGreaterThanOrEqual(1_000);
    const before = http.count(label, "getSlot");
    clock.advance(retryAfterMs - 1);
    for (let i = 0; i < 10; i += 1) await rpc.getSlot().send();
    expect(http.count(label, "getSlot")).toBe(before);
    clock.advance(1);
    await rpc.getSlot().send();
    expect(http.count(label, "getSlot")).toBe(before + 1);
  });
});
