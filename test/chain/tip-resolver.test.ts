import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createBlockEngineHttpTransport,
  createJitoClient,
  createTipResolver,
  JITO_DONT_FRONT,
  parsePrivateRouteUrls,
  type TipResolverOptions,
} from "../../src/chain/index.js";
import { isOspreyError } from "../../src/core/index.js";
import { createSandboxChain, type SandboxChain } from "../../src/sandbox/index.js";
import { type FakeBlockEngine, startFakeBlockEngine, tipFloorSample } from "./fake-block-engine.js";
import { createFakeClock, createSeededRandom } from "./fake-clock.js";

let chain: SandboxChain;
let engine: FakeBlockEngine;
beforeEach(async () => {
  chain = createSandboxChain({ manualClock: true });
  engine = await startFakeBlockEngine(chain);
});
afterEach(async () => {
  await engine.close();
  chain.close();
});

function setup(options: Partial<TipResolverOptions> = {}) {
  const clock = createFakeClock();
  const [config] = parsePrivateRouteUrls(engine.url, "JITO_URLS");
  const client = createJitoClient(
    createBlockEngineHttpTransport(config as NonNullable<typeof config>),
    engine.url,
  );
  const tips = createTipResolver({
    floorUrl: `${engine.url}/api/v1/bundles/tip_floor`,
    getTipAccounts: () => client.getTipAccounts(),
    clock,
    random: createSeededRandom(9),
    ...options,
  });
  return { clock, tips, client };
}

describe("tip resolution (a block engine's tip floor and tip accounts on 127.0.0.1)", () => {
  it("takes the configured percentile of the tip floor, SOL floats read as lamports", async () => {
    engine.tipFloor = [tipFloorSample(0.000_012_345)];
    const median = await setup().tips.resolve();
    expect(median).toMatchObject({ lamports: 12_345n, source: "floor" });
    expect(engine.tipAccounts).toContain(median.account);
    const p95 = await setup({ percentile: 95 }).tips.resolve();
    expect(p95.lamports).toBe(123_450n);
  });

  it("caps a floor tip at the maximum and never goes below 1000 lamports", async () => {
    engine.tipFloor = [tipFloorSample(0.01)]; // 10_000_000 lamports at p50
    expect((await setup({ maxLamports: 1_000_000n }).tips.resolve()).lamports).toBe(1_000_000n);
    engine.tipFloor = [tipFloorSample(0.000_000_2)]; // 200 lamports
    expect((await setup().tips.resolve()).lamports).toBe(1_000n);
  });

  it("a fixed tip and an override win over the floor (an override is not capped)", async () => {
    engine.tipFloor = { status: 500 }; // never read
    const { tips } = setup({ fixedLamports: 7_000n, maxLamports: 5_000n });
    expect(await tips.resolve()).toMatchObject({ lamports: 7_000n, source: "fixed" });
    expect(await tips.resolve(9_000n)).toMatchObject({ lamports: 9_000n, source: "override" });
    expect(await tips.resolve(null)).toMatchObject({ lamports: 7_000n, source: "fixed" });
    await expect(tips.resolve(999n)).rejects.toMatchObject({ code: "INVALID_INPUT" });
    expect(engine.callsTo("tip_floor")).toBe(0);
  });

  it("reads the floor once per 10 s; an unreachable floor serves the last read for 5 min, then TIP_UNAVAILABLE", async () => {
    engine.tipFloor = [tipFloorSample(0.00002)];
    const { tips, clock } = setup();
    expect((await tips.resolve()).lamports).toBe(20_000n);
    expect((await tips.resolve()).lamports).toBe(20_000n);
    expect(engine.callsTo("tip_floor")).toBe(1);
    engine.tipFloor = { status: 503 };
    clock.advance(11_000);
    expect((await tips.resolve()).lamports).toBe(20_000n); // stale but recent
    expect(engine.callsTo("tip_floor")).toBe(2);
    clock.advance(300_000);
    const error = await tips.resolve().catch((e: unknown) => e);
    expect(isOspreyError(error, "TIP_UNAVAILABLE")).toBe(true);
    engine.tipFloor = [{ nonsense: true }];
    const shape = await setup()
      .tips.resolve()
      .catch((e: unknown) => e);
    expect(isOspreyError(shape, "TIP_UNAVAILABLE")).toBe(true);
  });

  it("with no floor ever read, an unreachable floor is TIP_UNAVAILABLE at once", async () => {
    await engine.close();
    const error = await setup()
      .tips.resolve()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "TIP_UNAVAILABLE" });
    engine = await startFakeBlockEngine(chain); // for afterEach
  });

  it("caches the tip accounts and picks among them at random", async () => {
    const { tips } = setup({ fixedLamports: 1_000n });
    const picked = new Set<string>();
    for (let i = 0; i < 40; i += 1) picked.add((await tips.resolve()).account);
    expect(engine.callsTo("getTipAccounts")).toBe(1);
    expect(engine.calls.find((c) => c.method === "getTipAccounts")?.path).toBe(
      "/api/v1/getTipAccounts",
    );
    expect(picked.size).toBeGreaterThan(4);
    for (const account of picked) expect(engine.tipAccounts).toContain(account);
  });

  it("JITO_DONT_FRONT is a valid 32-byte address starting with jitodontfront", () => {
    expect(JITO_DONT_FRONT).toBe("jitodontfront111111111111111111111111111111");
  });
});

describe("Jito client", () => {
  it("sends sendTransaction to /api/v1/transactions?bundleOnly=true and the bundle methods to /api/v1/bundles", async () => {
    const { client } = setup();
    const refusal = await client.sendTransaction("AQ==").catch((e: unknown) => e);
    expect(isOspreyError(refusal, "BLOCK_ENGINE_ERROR")).toBe(true);
    expect(engine.calls[0]).toMatchObject({
      path: "/api/v1/transactions",
      query: "?bundleOnly=true",
      method: "sendTransaction",
      params: ["AQ==", { encoding: "base64" }],
    });
    const statuses = await client.getInflightBundleStatuses(["ab".repeat(32)]);
    expect(statuses.value).toEqual([
      { bundleId: "ab".repeat(32), status: "Invalid", landedSlot: null },
    ]);
    expect(await client.getBundleStatuses(["ab".repeat(32)])).toMatchObject({ value: [null] });
    expect(engine.calls.at(-1)).toMatchObject({
      path: "/api/v1/bundles",
      method: "getBundleStatuses",
      params: [["ab".repeat(32)]],
    });
    await expect(client.sendBundle([])).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });
});

describe("private route URLs", () => {
  it("keeps a block engine's query (uuid) and parses JITO_URLS / SENDER_URLS with clear errors", async () => {
    const { getJitoUrl } = await import("../../src/chain/index.js");
    expect(
      getJitoUrl("https://ny.block-engine.example/?uuid=k1", "/api/v1/transactions", {
        bundleOnly: "true",
      }),
    ).toBe("https://ny.block-engine.example/api/v1/transactions?uuid=k1&bundleOnly=true");
    expect(parsePrivateRouteUrls(" http://a:1 , http://b:2/fast ", "SENDER_URLS")).toMatchObject([
      { url: "http://a:1", label: "http://a:1" },
      { url: "http://b:2/fast", label: "http://b:2/fast" },
    ]);
    expect(parsePrivateRouteUrls(undefined, "JITO_URLS")).toEqual([]);
    for (const bad of ["nope", "ftp://x", "http://a:1,http://a:1"]) {
      expect(() => parsePrivateRouteUrls(bad, "JITO_URLS")).toThrow(
        expect.objectContaining({ code: "RPC_CONFIG_INVALID" }),
      );
    }
  });
});
