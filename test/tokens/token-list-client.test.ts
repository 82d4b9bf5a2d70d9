import { afterEach, describe, expect, it } from "vitest";
import { isOspreyError } from "../../src/core/osprey-error.js";
import { createTokenListClient } from "../../src/tokens/token-list-client.js";
import { startJsonServer } from "../support/json-server.js";

const MINT = "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v";

// Jupiter's documented search result, trimmed (https://dev.jup.ag: Tokens API v2).
const JUP_RESULT = {
  id: MINT,
  name: "USD Coin",
  symbol: "USDC",
  icon: "https://example.invalid/usdc.png",
  decimals: 6,
  tokenProgram: "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA",
  isVerified: true,
  organicScore: 98.08,
  organicScoreLabel: "high",
  usdPrice: 0.9998,
  liquidity: 123456.78,
  mcap: 1,
  holderCount: 857247,
  tags: ["verified", "community", "strict"],
  stats24h: { priceChange: 0.01 },
};

describe("Jupiter token search client", () => {
  const servers: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close();
  });
  async function serve(status: number, body: unknown) {
    const server = await startJsonServer((_request, response) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(typeof body === "string" ? body : JSON.stringify(body));
    });
    servers.push(server);
    return server;
  }

  it("reads Jupiter's shape, sends the query and the API key, drops entries it cannot trust", async () => {
    const server = await serve(200, [
      JUP_RESULT,
      { ...JUP_RESULT, id: "not-a-mint" },
      { ...JUP_RESULT, id: "So11111111111111111111111111111111111111112", decimals: "9" },
      {
        id: "So11111111111111111111111111111111111111112",
        name: "Wrapped SOL",
        symbol: "SOL",
        decimals: 9,
        usdPrice: "150",
        tags: ["verified"],
      },
    ]);
    const client = createTokenListClient({ baseUrl: `${server.url}/tokens/v2/`, apiKey: "k-1" });
    const found = await client.search("us dc&x");
    expect(found).toEqual([
      {
        mint: MINT,
        name: "USD Coin",
        symbol: "USDC",
        icon: "https://example.invalid/usdc.png",
        decimals: 6,
        tokenProgram: "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA",
        priceUsd: 0.9998,
        liquidityUsd: 123456.78,
        verified: true,
        tags: ["verified", "community", "strict"],
        organicScore: 98.08,
      },
      expect.objectContaining({ symbol: "SOL", priceUsd: null, verified: true, icon: null }),
    ]);
    expect(server.requests[0]?.url).toBe("/tokens/v2/search?query=us%20dc%26x");
    expect(server.requests[0]?.headers["x-api-key"]).toBe("k-1");
    // Cached: a user typing the same prefix again costs no request.
    await client.search("us dc&x");
    expect(server.requests).toHaveLength(1);
  });

  it("a failing or wrong answer is TOKEN_LIST_UNAVAILABLE (503)", async () => {
    for (const [status, body] of [
      [500, { error: "down" }],
      [200, { tokens: [] }],
      [200, "not json"],
    ] as const) {
      const server = await serve(status, body);
      const error = await createTokenListClient({ baseUrl: server.url })
        .search("x")
        .catch((e: unknown) => e);
      expect(isOspreyError(error) && error.code, JSON.stringify(body)).toBe(
        "TOKEN_LIST_UNAVAILABLE",
      );
    }
    const unreachable = await createTokenListClient({ baseUrl: "http://127.0.0.1:9" })
      .search("x")
      .catch((e: unknown) => e);
    expect(isOspreyError(unreachable) && unreachable.code).toBe("TOKEN_LIST_UNAVAILABLE");
  });
});
