import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpClient } from "../support/http-client.js";
import { sendJson, startJsonServer } from "../support/json-server.js";
import { getFreePort } from "../support/redis-server.js";
import { startTestApp } from "../support/test-app.js";

// Any well-formed mint: the outage answers before anything about the token matters.
const MINT = "Es9vMFrzaCERmJfrF4H2FYD4KCoNkY11McCe8BenwNYB";

/** The Solana RPC and the swap API both down: answering 503 to everything, or refusing connections. */
async function startDownstream(mode: "5xx" | "refused") {
  if (mode === "refused") {
    const [rpcPort, swapPort] = [await getFreePort(), await getFreePort()];
    return {
      rpcUrl: `http://127.0.0.1:${rpcPort}`,
      swapUrl: `http://127.0.0.1:${swapPort}`,
      close: async () => {},
    };
  }
  const rpc = await startJsonServer((_, response) => sendJson(response, 503, { error: "down" }));
  const swap = await startJsonServer((_, response) =>
    sendJson(response, 503, { error: "maintenance" }),
  );
  return {
    rpcUrl: rpc.url,
    swapUrl: swap.url,
    close: async () => {
      await Promise.all([rpc.close(), swap.close()]);
    },
  };
}

describe.each(["5xx", "refused"] as const)("Solana RPC and swap API down (%s)", (mode) => {
  let downstream: Awaited<ReturnType<typeof startDownstream>>;
  let server: Awaited<ReturnType<typeof startTestApp>>;
  let client: ReturnType<typeof createHttpClient>;
  let auth: Record<string, string>;

  beforeAll(async () => {
    downstream = await startDownstream(mode);
    server = await startTestApp({
      SOLANA_RPC_URLS: downstream.rpcUrl,
      JUPITER_API_URL: `${downstream.swapUrl}/swap/v1`,
      JUPITER_PRICE_URL: `${downstream.swapUrl}/price/v3`,
    });
    client = createHttpClient(server.url);
    auth = await client.signUp(`upstream${mode}`);
  });
  afterAll(async () => {
    await server?.close();
    await downstream?.close();
  });

  it("answers a quote 503 SWAP_API_UNAVAILABLE with Retry-After", async () => {
    const quote = await client.call(
      "GET",
      `/v1/quote?side=buy&mint=${MINT}&amount=1000000`,
      undefined,
      auth,
    );
    expect(quote.status).toBe(503);
    expect(quote.body.error?.code).toBe("SWAP_API_UNAVAILABLE");
    expect(quote.headers.get("retry-after")).toBe("5");
  });

  it("answers a safety report 503 RPC_UNAVAILABLE with Retry-After, without the endpoint", async () => {
    const safety = await client.call("GET", `/v1/tokens/${MINT}/safety`, undefined, auth);
    expect(safety.status).toBe(503);
    expect(safety.body.error?.code).toBe("RPC_UNAVAILABLE");
    expect(safety.headers.get("retry-after")).toBe("5");
    expect(safety.text).not.toContain(downstream.rpcUrl);
    // Wallets still list without the chain: their balances say they are unknown.
    expect((await client.call("GET", "/v1/wallets", undefined, auth)).status).toBe(200);
  });
});
