import { createSolanaRpcFromTransport } from "@solana/kit";
import { afterEach, describe, expect, it } from "vitest";
import { createBlockhashCache } from "../../src/chain/blockhash-cache.js";
import { createEndpointHttpTransport } from "../../src/chain/http-transport.js";
import { parseRpcEndpoints } from "../../src/chain/parse-rpc-endpoints.js";
import { createFakeClock } from "./fake-clock.js";
import { type JsonRpcTestServer, startJsonRpcTestServer } from "./json-rpc-test-server.js";

let server: JsonRpcTestServer | undefined;
afterEach(async () => {
  await server?.close();
});

const HASHES = [
  "4uQeVj5tqViQh7yWWGStvkEG1Zmhx6uasJtWCJziofM",
  "8xp7Jmxr2WbTkVNUWzqyEPTnRj1RN2Qvq6khAyGAbGR9",
];

describe("blockhash cache", () => {
  it("serves the cached blockhash without a round trip and refreshes in the background", async () => {
    let n = 0;
    server = await startJsonRpcTestServer((request) => {
      expect(request.params).toEqual([{ commitment: "confirmed" }]);
      n += 1;
      return {
        result: {
          context: { slot: n },
          value: { blockhash: HASHES[(n - 1) % 2], lastValidBlockHeight: 150 + n },
        },
      };
    });
    const clock = createFakeClock();
    const [endpoint] = parseRpcEndpoints(server.url);
    const rpc = createSolanaRpcFromTransport(
      createEndpointHttpTransport(endpoint as NonNullable<typeof endpoint>),
    );
    const cache = createBlockhashCache({ rpc, clock, timers: clock, refreshMs: 2_000 });
    await cache.start();
    expect(await cache.get()).toMatchObject({ blockhash: HASHES[0], lastValidBlockHeight: 151n });
    await cache.get();
    expect(server.calls.length).toBe(1);

    clock.advance(2_000);
    while (server.calls.length < 2 || cache.peek()?.blockhash !== HASHES[1]) {
      await new Promise((r) => setTimeout(r, 2));
    }
    expect((await cache.get()).lastValidBlockHeight).toBe(152n);
    cache.stop();
    expect(clock.pendingTimers()).toBe(0);
    clock.advance(10_000);
    expect(server.calls.length).toBe(2);
  });

  it("fetches on demand when the cache is too old (refresh failing)", async () => {
    let fail = false;
    server = await startJsonRpcTestServer(() =>
      fail
        ? { status: 500 }
        : {
            result: {
              context: { slot: 1 },
              value: { blockhash: HASHES[0], lastValidBlockHeight: 10 },
            },
          },
    );
    const clock = createFakeClock();
    const [endpoint] = parseRpcEndpoints(server.url);
    const rpc = createSolanaRpcFromTransport(
      createEndpointHttpTransport(endpoint as NonNullable<typeof endpoint>),
    );
    const errors: unknown[] = [];
    const cache = createBlockhashCache({
      rpc,
      clock,
      timers: clock,
      refreshMs: 1_000,
      maxAgeMs: 5_000,
      onError: (e) => errors.push(e),
    });
    await cache.start();
    fail = true;
    clock.advance(1_000);
    while (errors.length === 0) await new Promise((r) => setTimeout(r, 2));
    await cache.get(); // still fresh enough: no request
    expect(server.calls.length).toBe(2);
    cache.stop();
    clock.advance(5_000);
    await expect(cache.get()).rejects.toBeDefined();
  });
});
