import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getMetaplexMetadataAddress, parseMetaplexMetadata } from "../../src/safety/index.js";
import { type MarketSandbox, startMarketSandbox } from "./market-helpers.js";

let env: MarketSandbox;
beforeAll(async () => {
  env = await startMarketSandbox({ bots: false });
});
afterAll(async () => {
  await env?.close();
});

type Listed = { id: string; symbol: string; name: string; isVerified: boolean; tags: string[] };
const search = async (query: string) => {
  const response = await fetch(
    `${env.market.tokensApiUrl}/search?query=${encodeURIComponent(query)}`,
  );
  return { status: response.status, body: (await response.json()) as Listed[] };
};

describe("the sandbox's Jupiter token search (/tokens/v2/search)", () => {
  it("lists the demo market in Jupiter's shape, verified = the healthy tokens and the stable", async () => {
    const { status, body } = await search("bonk");
    expect(status).toBe(200);
    expect(body[0]).toMatchObject({
      id: env.market.mints.BONKY,
      symbol: "BONKY",
      name: "Bonky",
      decimals: 5,
      icon: null,
      tokenProgram: "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA",
      isVerified: true,
      tags: ["verified"],
      organicScoreLabel: "high",
    });
    expect((body[0] as unknown as { usdPrice: number }).usdPrice).toBeGreaterThan(0);
    for (const [label, mint] of Object.entries(env.market.risky)) {
      const found = (await search(mint)).body;
      expect(found, label).toHaveLength(1);
      expect(found[0]?.isVerified, label).toBe(false);
    }
    for (const [label, mint] of Object.entries(env.market.mints))
      expect((await search(mint)).body[0]?.isVerified, label).toBe(true);
  });

  it("the impersonator carries the stable's symbol and name on chain, and ranks after it", async () => {
    const fake = env.market.risky.FAKEUSDC;
    expect(fake).toBeDefined();
    const account = env.chain.getAccount(await getMetaplexMetadataAddress(fake as never));
    const metadata = parseMetaplexMetadata(fake as never, {
      owner: account?.owner ?? "",
      data: account?.data ?? new Uint8Array(),
    });
    expect(metadata).toMatchObject({ symbol: "USDC", name: "USD Coin (sandbox)" });
    const { body } = await search("usdc");
    expect(body.map((t) => [t.id, t.isVerified])).toEqual([
      [env.market.mints.USDC, true],
      [fake, false],
    ]);
  });

  it("comma-separated mints look up each; an empty or over-long query is 400", async () => {
    const { body } = await search(`${env.market.mints.WIFY},${env.market.risky.HOOK}`);
    expect(body.map((t) => t.symbol).sort()).toEqual(["HOOK", "WIFY"]);
    expect((await search("no such token")).body).toEqual([]);
    for (const query of ["", "  ", "x".repeat(501)]) {
      const response = await fetch(
        `${env.market.tokensApiUrl}/search?query=${encodeURIComponent(query)}`,
      );
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ errorCode: "INVALID_REQUEST" });
    }
  });
});
