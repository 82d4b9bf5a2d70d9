import { describe, expect, it } from "vitest";
import type { TokenSummary } from "../../src/tokens/token-service.js";
import { writeTestToken } from "../safety/sandbox-tokens.js";
import { createHttpClient } from "../support/http-client.js";
import { useTradingApp } from "../trading/trading-setup.js";

describe("token search, token info and candles on the sandbox", () => {
  const env = useTradingApp();
  let auth: Record<string, string> | undefined;
  const get = async (path: string) => {
    const http = createHttpClient(env.server.url);
    auth ??= await http.signUp("token-reader");
    return http.call("GET", path, undefined, auth);
  };
  const ready = () => env.sandbox.stack.ready;
  const search = async (query: string) => {
    const result = await get(`/v1/tokens?query=${encodeURIComponent(query)}`);
    expect(result.status, result.text).toBe(200);
    return result.body.tokens as TokenSummary[];
  };

  it("finds a healthy demo token by part of its symbol, verified, priced and with its liquidity", async () => {
    const tokens = await search("bon");
    expect(tokens[0]).toMatchObject({
      mint: ready().mints.BONKY,
      symbol: "BONKY",
      name: "Bonky",
      decimals: 5,
      icon: null,
      verified: true,
    });
    expect(tokens[0]?.priceUsd).toBeGreaterThan(0);
    expect(tokens[0]?.liquidityUsd).toBeGreaterThan(0);
    // Risky tokens are listed, unverified.
    const freeze = (await search("Freeze Trap")).find((t) => t.mint === ready().risky.FREEZE);
    expect(freeze).toMatchObject({ symbol: "FREEZE", verified: false });
  });

  it("a search for USDC returns the stable verified first and the impersonator unverified", async () => {
    const tokens = await search("USDC");
    expect(tokens[0]).toMatchObject({ mint: ready().mints.USDC, symbol: "USDC", verified: true });
    const fake = tokens.find((t) => t.mint === ready().risky.FAKEUSDC);
    expect(fake).toMatchObject({ symbol: "USDC", name: "USD Coin (sandbox)", verified: false });
  });

  it("a pasted mint no list knows is read from chain and comes first", async () => {
    const mint = await writeTestToken(
      env.sandbox.stack.sandbox.chain,
      env.sandbox.stack.market.market.pools,
      { symbol: "NEWBIE", program: "spl-token", holders: [{ amount: 1_000n }] },
    );
    const tokens = await search(mint);
    expect(tokens).toEqual([
      {
        mint,
        name: "NEWBIE test token",
        symbol: "NEWBIE",
        decimals: 6,
        icon: null,
        verified: false,
        priceUsd: null,
        liquidityUsd: null,
      },
    ]);
    // A known mint pasted: the list's entry, first.
    const bonky = await search(ready().mints.BONKY ?? "");
    expect(bonky[0]).toMatchObject({ mint: ready().mints.BONKY, verified: true });
    // An address that is no mint: nothing, not an error.
    expect(await search(env.sandbox.feeWallet)).toEqual([]);
  });

  it("refuses garbage and over-long queries with 400 and a code", async () => {
    for (const query of ["", "   ", "a".repeat(101), "bon\u0000ky", "\u0007", "x\u202Ey"]) {
      const result = await get(`/v1/tokens?query=${encodeURIComponent(query)}`);
      expect(result.status, JSON.stringify(query)).toBe(400);
      expect(result.body.error?.code).toBe("INVALID_INPUT");
    }
    const missing = await get("/v1/tokens");
    expect(missing.status).toBe(400);
    const unauthenticated = await fetch(`${env.server.url}/v1/tokens?query=bon`);
    expect(unauthenticated.status).toBe(401);
  });

  it("GET /v1/tokens/:mint answers price in USD and SOL, liquidity, verified and program", async () => {
    const bonky = await get(`/v1/tokens/${ready().mints.BONKY}`);
    expect(bonky.status, bonky.text).toBe(200);
    expect(bonky.body).toMatchObject({
      mint: ready().mints.BONKY,
      name: "Bonky",
      symbol: "BONKY",
      decimals: 5,
      verified: true,
      tokenProgram: "spl-token",
    });
    const { priceUsd, priceSol, liquidityUsd } = bonky.body as Record<string, number>;
    const solUsd = env.sandbox.stack.market.prices.getPrice(
      "So11111111111111111111111111111111111111112" as never,
    ) as number;
    expect(priceUsd).toBeGreaterThan(0);
    expect(priceSol).toBeCloseTo((priceUsd as number) / solUsd, 12);
    expect(liquidityUsd).toBeGreaterThan(0);
    const glide = await get(`/v1/tokens/${ready().mints.GLIDE}`);
    expect(glide.body).toMatchObject({ tokenProgram: "token-2022", verified: true });
    const fake = await get(`/v1/tokens/${ready().risky.FAKEUSDC}`);
    expect(fake.body).toMatchObject({ symbol: "USDC", verified: false });
  });

  it("GET /v1/tokens/:mint: 404 TOKEN_NOT_FOUND for a wallet or nothing, 400 for a bad address", async () => {
    const wallet = await get(`/v1/tokens/${env.sandbox.feeWallet}`);
    expect(wallet.status).toBe(404);
    expect(wallet.body.error?.code).toBe("TOKEN_NOT_FOUND");
    const nothing = await get("/v1/tokens/4Nd1mBQtrMJVYVfKf2PJy9NZUZdTAsp7D4xWLs4gDB4T");
    expect(nothing.status).toBe(404);
    for (const bad of ["abc", "0OIl0OIl0OIl0OIl0OIl0OIl0OIl0OIl", "x".repeat(45)]) {
      const result = await get(`/v1/tokens/${bad}`);
      expect(result.status, bad).toBe(400);
    }
  });

  it("the safety report of the impersonator blocks on impersonation", async () => {
    const report = await get(`/v1/tokens/${ready().risky.FAKEUSDC}/safety`);
    expect(report.status, report.text).toBe(200);
    expect(report.body).toMatchObject({ verdict: "block", symbol: "USDC" });
    const checks = report.body.checks as { id: string; status: string; detail: string }[];
    expect(checks.filter((c) => c.status === "fail").map((c) => c.id)).toEqual(["impersonation"]);
    expect(checks.find((c) => c.id === "impersonation")?.detail).toContain(ready().mints.USDC);
    const stable = await get(`/v1/tokens/${ready().mints.USDC}/safety`);
    expect(stable.body).toMatchObject({ verdict: "ok" });
  });

  it("candles: a viewed token is sampled into 1-minute candles; bad input is 400", async () => {
    const mint = ready().mints.WIFY ?? "";
    const sampler = env.server.app.priceSampler;
    if (!sampler) throw new Error("the app has a price sampler with a chain");
    const empty = await get(`/v1/tokens/${mint}/candles?minutes=5`);
    expect(empty.body).toEqual({ mint, interval: "1m", candles: [] });
    // Viewing it (the candles request did) puts it in the sampled set.
    expect(await sampler.getSampledMints()).toContain(mint);
    await sampler.sampleNow();
    const after = await get(`/v1/tokens/${mint}/candles`);
    expect(after.status, after.text).toBe(200);
    const candles = after.body.candles as {
      time: number;
      open: number;
      high: number;
      low: number;
      close: number;
    }[];
    expect(candles).toHaveLength(1);
    const [candle] = candles;
    expect(candle?.time ?? 0.5).toSatisfy((t: number) => Number.isInteger(t) && t % 60 === 0);
    expect(candle?.close).toBeCloseTo(
      env.sandbox.stack.market.prices.getPrice(mint as never) as number,
      9,
    );
    for (const query of [
      "minutes=0",
      "minutes=100000",
      "minutes=abc",
      "minutes=1.5",
      "minutes=-1",
    ]) {
      const result = await get(`/v1/tokens/${mint}/candles?${query}`);
      expect(result.status, query).toBe(400);
      expect(result.body.error?.code).toBe("INVALID_INPUT");
    }
    const badMint = await get("/v1/tokens/not-a-mint/candles");
    expect(badMint.status).toBe(400);
  });

  it("with the token list down: a text search is 503 TOKEN_LIST_UNAVAILABLE, a pasted mint still works", async () => {
    // A second app on the same sandbox, its token list pointing at a closed port.
    const down = await env.sandbox.startApp({ tokensApiUrl: "http://127.0.0.1:9/tokens/v2" });
    try {
      const http = createHttpClient(down.url);
      const headers = await http.signUp("token-reader-2");
      const text = await http.call("GET", "/v1/tokens?query=bon", undefined, headers);
      expect(text.status).toBe(503);
      expect(text.body.error?.code).toBe("TOKEN_LIST_UNAVAILABLE");
      expect(text.headers.get("retry-after")).toBe("5");
      const mint = ready().mints.BONKY ?? "";
      const pasted = await http.call("GET", `/v1/tokens?query=${mint}`, undefined, headers);
      expect(pasted.status, pasted.text).toBe(200);
      expect(pasted.body.tokens).toEqual([
        expect.objectContaining({ mint, symbol: "BONKY", name: "Bonky", verified: false }),
      ]);
      const info = await http.call("GET", `/v1/tokens/${mint}`, undefined, headers);
      expect(info.body).toMatchObject({ symbol: "BONKY", icon: null, liquidityUsd: null });
    } finally {
      await down.close();
    }
  });
});
