import { generateKeyPairSigner } from "@solana/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSwapApiServer } from "../../src/sandbox/swap-api/swap-api-server.js";
import { type MarketSandbox, SOL_MINT, startMarketSandbox } from "./market-helpers.js";

let env: MarketSandbox;

beforeAll(async () => {
  env = await startMarketSandbox({ bots: false });
});

afterAll(async () => {
  await env?.close();
});

const bonky = () => env.market.mints.BONKY as string;

async function quote(params: Record<string, string>) {
  const query = new URLSearchParams({
    inputMint: SOL_MINT,
    outputMint: bonky(),
    amount: "1000000",
    ...params,
  });
  const response = await fetch(`${env.market.swapApiUrl}/quote?${query}`);
  return {
    status: response.status,
    body: (await response.json()) as { error?: string; errorCode?: string },
  };
}

async function post(path: string, body: string) {
  const response = await fetch(`${env.market.swapApiUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
  return {
    status: response.status,
    body: (await response.json()) as { error?: string; errorCode?: string },
  };
}

describe("bad requests get Jupiter-style 400s, never a 500", () => {
  const cases: [string, Record<string, string>, string][] = [
    ["zero amount", { amount: "0" }, "INVALID_REQUEST"],
    ["negative amount", { amount: "-5" }, "INVALID_REQUEST"],
    ["fractional amount", { amount: "1.5" }, "INVALID_REQUEST"],
    ["non-numeric amount", { amount: "abc" }, "INVALID_REQUEST"],
    ["amount of 2^64", { amount: "18446744073709551616" }, "INVALID_REQUEST"],
    ["amount far above u64", { amount: "9".repeat(40) }, "INVALID_REQUEST"],
    ["empty amount", { amount: "" }, "INVALID_REQUEST"],
    ["negative slippage", { slippageBps: "-1" }, "INVALID_REQUEST"],
    ["slippage above 10000", { slippageBps: "10001" }, "INVALID_REQUEST"],
    ["fractional slippage", { slippageBps: "0.5" }, "INVALID_REQUEST"],
    ["platform fee of 100%", { platformFeeBps: "10000" }, "INVALID_REQUEST"],
    ["unknown swap mode", { swapMode: "Sideways" }, "INVALID_REQUEST"],
    ["malformed input mint", { inputMint: "not-a-key" }, "INVALID_REQUEST"],
    [
      "input mint with base58-invalid characters",
      { inputMint: "0OIl0OIl0OIl0OIl0OIl0OIl0OIl0OIl" },
      "INVALID_REQUEST",
    ],
    ["output mint too long", { outputMint: `${SOL_MINT}${SOL_MINT}` }, "INVALID_REQUEST"],
    [
      "unknown mint",
      { outputMint: "Vote111111111111111111111111111111111111111" },
      "TOKEN_NOT_TRADABLE",
    ],
    ["same mint both sides", { outputMint: SOL_MINT }, "CIRCULAR_ARBITRAGE_IS_DISABLED"],
  ];
  for (const [name, params, errorCode] of cases) {
    it(`quote: ${name}`, async () => {
      const { status, body } = await quote(params);
      expect(status).toBe(400);
      expect(body.errorCode).toBe(errorCode);
      expect(body.error).toEqual(expect.any(String));
    });
  }

  it("quote: the largest u64 amount is priced, not crashed on", async () => {
    const { status } = await quote({ amount: "18446744073709551615" });
    expect(status).toBe(200);
  });

  it("quote: a pair without a direct pool has no route", async () => {
    const { status, body } = await quote({ inputMint: env.market.mints.USDC as string });
    expect(status).toBe(400);
    expect(body.errorCode).toBe("COULD_NOT_FIND_ANY_ROUTE");
  });

  it("swap: malformed bodies and fields", async () => {
    const user = (await generateKeyPairSigner()).address;
    const good = (await quote({})).body;
    const bodies: [string, string][] = [
      ["not JSON", "{nope"],
      ["an array", "[]"],
      ["no quote", JSON.stringify({ userPublicKey: user })],
      ["bad user key", JSON.stringify({ userPublicKey: "xyz", quoteResponse: good })],
      [
        "bad fee account",
        JSON.stringify({ userPublicKey: user, feeAccount: "xyz", quoteResponse: good }),
      ],
      [
        "negative inAmount",
        JSON.stringify({ userPublicKey: user, quoteResponse: { ...good, inAmount: "-1" } }),
      ],
      [
        "huge threshold",
        JSON.stringify({
          userPublicKey: user,
          quoteResponse: { ...good, otherAmountThreshold: "1".repeat(30) },
        }),
      ],
      [
        "slippage out of range",
        JSON.stringify({ userPublicKey: user, quoteResponse: { ...good, slippageBps: 20_000 } }),
      ],
      [
        "bad priority fee",
        JSON.stringify({
          userPublicKey: user,
          quoteResponse: good,
          prioritizationFeeLamports: { foo: 1 },
        }),
      ],
      [
        "negative unit price",
        JSON.stringify({
          userPublicKey: user,
          quoteResponse: good,
          computeUnitPriceMicroLamports: -5,
        }),
      ],
    ];
    for (const [name, body] of bodies) {
      for (const path of ["/swap", "/swap-instructions"]) {
        const result = await post(path, body);
        expect(result.status, `${path}: ${name}`).toBe(400);
        expect(result.body.errorCode, `${path}: ${name}`).toBe("INVALID_REQUEST");
      }
    }
  });

  it("swap: a fee account of an unrelated mint is refused", async () => {
    const user = (await generateKeyPairSigner()).address;
    const good = (await quote({ platformFeeBps: "85" })).body;
    const usdcVault = env.market.market.stable.pool.base.address;
    const result = await post(
      "/swap",
      JSON.stringify({ userPublicKey: user, feeAccount: usdcVault, quoteResponse: good }),
    );
    expect(result.status).toBe(400);
    expect(result.body.errorCode).toBe("INVALID_FEE_ACCOUNT");
  });

  it("swap: a pool authority cannot be the user (it would pay and sign for the fee payer)", async () => {
    const good = (await quote({})).body;
    const authority = env.market.market.tokens[0]?.pool.id;
    const body = JSON.stringify({
      userPublicKey: authority,
      quoteResponse: good,
      computeUnitPriceMicroLamports: 1_000_000_000,
    });
    const result = await post("/swap", body);
    expect(result.status).toBe(400);
    expect(result.body.errorCode).toBe("INVALID_REQUEST");
  });

  it("unknown routes are 404s in the same shape", async () => {
    const response = await fetch(`${env.market.swapApiUrl}/nope`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ errorCode: "NOT_FOUND" });
  });

  it("price: bad ids are 400s, unknown mints are left out", async () => {
    expect((await fetch(`${env.market.priceApiUrl}?ids=bad`)).status).toBe(400);
    expect((await fetch(env.market.priceApiUrl)).status).toBe(400);
    const unknown = await fetch(
      `${env.market.priceApiUrl}?ids=Vote111111111111111111111111111111111111111`,
    );
    expect(await unknown.json()).toEqual({});
  });

  it("an optional rate limit answers 429 with Retry-After", async () => {
    let now = 1_000_000;
    const server = await startSwapApiServer({
      engine: env.market.engine,
      prices: env.market.prices,
      port: 0,
      rateLimit: { requestsPerSecond: 1, burst: 2 },
      now: () => now,
    });
    try {
      const url = `${server.url}/swap/v1/program-id-to-label`;
      expect((await fetch(url)).status).toBe(200);
      expect((await fetch(url)).status).toBe(200);
      const limited = await fetch(url);
      expect(limited.status).toBe(429);
      expect(limited.headers.get("retry-after")).toBe("1");
      expect(await limited.json()).toMatchObject({ errorCode: "RATE_LIMITED" });
      now += 1_000;
      expect((await fetch(url)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
