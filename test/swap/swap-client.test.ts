import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Address } from "../../src/core/addresses.js";
import { isOspreyError, type OspreyError } from "../../src/core/osprey-error.js";
import { createSwapClient, type SwapClient } from "../../src/swap/swap-client.js";
import { createFakeClock } from "../support/fake-clock.js";
import { sendJson, startJsonServer } from "../support/json-server.js";

// The real Jupiter is outside this machine: a scripted HTTP server plays its error behaviour here.
// The happy path against a real aggregator is covered by the sandbox market's tests.
const SOL = "So11111111111111111111111111111111111111112" as Address;
const MINTS = {
  ok: "4Nd1mBQtrMJVYVfKf2PJy9NZUZdTAsp7D4xWLs4gDB4T" as Address,
  noRoute: "7xKXtg2CW87d97TXJSDpbD5jBkheTqA83TZRuJosgAsU" as Address,
  untradable: "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v" as Address,
  limited: "Es9vMFrzaCERmJfrF4H2FYD4KCoNkY11McCe8BenwNYB" as Address,
  broken: "DezXAZ8z7PnrnRJjz3wXBoRgixCa6xjnB7YaB1pPB263" as Address,
  malformed: "JUPyiwrYJFskUPiHa7hkeR8VUtAeFoSYbKedZNsDvCN" as Address,
  slow: "mSoLzYCxHdYgdzU16g5QSh3i5K3z3KZK7ytfqcJm7So" as Address,
};

function quoteBody(inputMint: string, outputMint: string, amount: string) {
  return {
    inputMint,
    inAmount: amount,
    outputMint,
    outAmount: "18446744073709551",
    otherAmountThreshold: "18354510353341003",
    swapMode: "ExactIn",
    slippageBps: 50,
    platformFee: { amount: "1000", feeBps: 85 },
    priceImpactPct: "0.0123",
    routePlan: [
      {
        swapInfo: {
          ammKey: SOL,
          label: "Sandbox CPMM",
          inputMint,
          outputMint,
          inAmount: amount,
          outAmount: "1",
          feeAmount: "0",
          feeMint: inputMint,
        },
        percent: 100,
      },
    ],
    contextSlot: 42,
    timeTaken: 0.001,
  };
}

describe("swap client", () => {
  let server: Awaited<ReturnType<typeof startJsonServer>>;
  let client: SwapClient;
  const clock = createFakeClock();

  beforeAll(async () => {
    server = await startJsonServer(async (request, response) => {
      const url = new URL(request.url ?? "/", "http://x");
      const output = url.searchParams.get("outputMint") ?? "";
      if (url.pathname === "/swap/v1/quote") {
        if (output === MINTS.noRoute)
          return sendJson(response, 400, {
            error: "no route",
            errorCode: "COULD_NOT_FIND_ANY_ROUTE",
          });
        if (output === MINTS.untradable)
          return sendJson(response, 400, { error: "x", errorCode: "TOKEN_NOT_TRADABLE" });
        if (output === MINTS.limited)
          return sendJson(response, 429, { error: "slow down" }, { "retry-after": "3" });
        if (output === MINTS.broken) return sendJson(response, 503, { error: "down" });
        if (output === MINTS.malformed)
          return sendJson(response, 200, { ...quoteBody(SOL, output, "1"), outAmount: "1.5" });
        if (output === MINTS.slow) return new Promise((resolve) => setTimeout(resolve, 1_000));
        return sendJson(
          response,
          200,
          quoteBody(
            url.searchParams.get("inputMint") ?? "",
            output,
            url.searchParams.get("amount") ?? "",
          ),
        );
      }
      if (url.pathname === "/swap/v1/swap") {
        const body = JSON.parse(request.body) as { quoteResponse: { outputMint: string } };
        if (body.quoteResponse.outputMint === MINTS.noRoute) {
          return sendJson(response, 400, {
            error: "moved",
            errorCode: "SLIPPAGE_TOLERANCE_EXCEEDED",
          });
        }
        return sendJson(response, 200, {
          swapTransaction: Buffer.from([1, 2, 3]).toString("base64"),
          lastValidBlockHeight: 1234,
          prioritizationFeeLamports: 5000,
          computeUnitLimit: 200000,
        });
      }
      sendJson(response, 404, { error: "not found" });
    });
    client = createSwapClient({
      baseUrl: `${server.url}/swap/v1`,
      apiKey: "jup-key",
      clock,
    });
  });
  afterAll(() => server.close());

  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error("expected a failure");
      },
      (error: unknown) => {
        if (!isOspreyError(error)) throw error;
        return error as OspreyError;
      },
    );

  it("returns bigint amounts exactly and sends the API key", async () => {
    const quote = await client.getQuote({
      inputMint: SOL,
      outputMint: MINTS.ok,
      amount: 9_007_199_254_740_991n,
      slippageBps: 50,
      platformFeeBps: 85,
    });
    expect(quote.inAmount).toBe(9_007_199_254_740_991n);
    expect(quote.outAmount).toBe(18_446_744_073_709_551n);
    expect(quote.otherAmountThreshold).toBe(18_354_510_353_341_003n);
    expect(quote.platformFee).toEqual({ amount: 1000n, feeBps: 85 });
    expect(quote.priceImpact).toBeCloseTo(0.0123);
    const sent = server.requests.at(-1);
    expect(sent?.url).toContain("amount=9007199254740991");
    expect(sent?.url).toContain("platformFeeBps=85");
    expect(sent?.headers["x-api-key"]).toBe("jup-key");
  });

  it("caches a quote under every parameter, and only briefly", async () => {
    const base = { inputMint: SOL, outputMint: MINTS.ok, amount: 1_000n, slippageBps: 50 } as const;
    const before = server.requests.length;
    await Promise.all([client.getQuote(base), client.getQuote(base)]);
    await client.getQuote(base);
    expect(server.requests.length - before).toBe(1);
    await client.getQuote({ ...base, slippageBps: 100 });
    await client.getQuote({ ...base, platformFeeBps: 85 });
    await client.getQuote({ ...base, amount: 1_001n });
    expect(server.requests.length - before).toBe(4);
    clock.advance(2_001);
    await client.getQuote(base);
    expect(server.requests.length - before).toBe(5);
  });

  it("refuses amounts a JSON number cannot carry, and zero", async () => {
    for (const amount of [0n, 9_007_199_254_740_992n, 2n ** 64n]) {
      const error = await failure(
        client.getQuote({ inputMint: SOL, outputMint: MINTS.ok, amount, slippageBps: 50 }),
      );
      expect(error.code).toBe("INVALID_AMOUNT");
    }
  });

  it.each([
    ["no route", MINTS.noRoute, "NO_ROUTE"],
    ["an untradable token", MINTS.untradable, "NO_ROUTE"],
    ["a 429", MINTS.limited, "RATE_LIMITED"],
    ["a 503", MINTS.broken, "SWAP_API_UNAVAILABLE"],
    ["a malformed amount", MINTS.malformed, "API_ERROR"],
  ])("maps %s to %s", async (_, outputMint, code) => {
    const error = await failure(
      client.getQuote({ inputMint: SOL, outputMint, amount: 5n, slippageBps: 50 }),
    );
    expect(error.code).toBe(code);
    if (code === "RATE_LIMITED") expect(error.context.retryAfterMs).toBe(3000);
  });

  it("gives up on a slow answer after its timeout with SWAP_API_UNAVAILABLE", async () => {
    const impatient = createSwapClient({ baseUrl: `${server.url}/swap/v1`, timeoutMs: 200 });
    const error = await failure(
      impatient.getQuote({ inputMint: SOL, outputMint: MINTS.slow, amount: 5n, slippageBps: 50 }),
    );
    expect(error.code).toBe("SWAP_API_UNAVAILABLE");
    expect(error.context.reason).toBe("timeout");
  });

  it("does not cache failures", async () => {
    const request = {
      inputMint: SOL,
      outputMint: MINTS.broken,
      amount: 7n,
      slippageBps: 50,
    } as const;
    const before = server.requests.length;
    await failure(client.getQuote(request));
    await failure(client.getQuote(request));
    expect(server.requests.length - before).toBe(2);
  });

  it("builds a swap and maps a slippage refusal to SLIPPAGE", async () => {
    const quote = await client.getQuote({
      inputMint: SOL,
      outputMint: MINTS.ok,
      amount: 10n,
      slippageBps: 50,
    });
    const built = await client.buildSwap({
      quote,
      userPublicKey: SOL,
      computeUnitPriceMicroLamports: 1000n,
    });
    expect([...built.transaction]).toEqual([1, 2, 3]);
    expect(built.lastValidBlockHeight).toBe(1234n);
    expect(built.prioritizationFeeLamports).toBe(5000n);
    expect(built.computeUnitLimit).toBe(200000);
    const swapBody = JSON.parse(server.requests.at(-1)?.body ?? "{}") as Record<string, unknown>;
    expect(swapBody).toMatchObject({
      userPublicKey: SOL,
      computeUnitPriceMicroLamports: 1000,
      dynamicComputeUnitLimit: true,
    });

    const moved = { ...quote, raw: { ...quote.raw, outputMint: MINTS.noRoute } };
    expect((await failure(client.buildSwap({ quote: moved, userPublicKey: SOL }))).code).toBe(
      "SLIPPAGE",
    );
  });
});
