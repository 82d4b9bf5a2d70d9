import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSolanaRpc } from "@solana/kit";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { isOspreyError } from "../../src/core/osprey-error.js";
import {
  createTokenAnalyzer,
  getAllowListEntries,
  MAINNET_ALLOW_LIST,
  type SafetyRpc,
  type TokenAnalyzer,
} from "../../src/safety/index.js";
import { createSwapClient } from "../../src/swap/index.js";
import { type SafetySandbox, startSafetySandbox } from "./sandbox-setup.js";

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "no error";
  } catch (error) {
    return isOspreyError(error) ? error.code : `not an OspreyError: ${String(error)}`;
  }
}

describe("safety analyzer when data is missing, malformed or unreadable", () => {
  let env: SafetySandbox;
  let now = 1_000_000;
  const clock = { now: () => now };
  const analyzerWith = (
    overrides: Partial<Parameters<typeof createTokenAnalyzer>[0]>,
  ): TokenAnalyzer =>
    createTokenAnalyzer({
      rpc: env.rpc,
      swapClient: env.swapClient,
      clock,
      allowList: [],
      ...overrides,
    });

  beforeAll(async () => {
    env = await startSafetySandbox();
  }, 120_000);
  afterAll(() => env?.close());

  it("gives malformed mints, wallets, token accounts and programs a clear code", async () => {
    const analyzer = env.analyzer;
    const vault = env.market.market.stable.pool.base.address;
    const cases: [string, string][] = [
      ["0OIl0OIl0OIl0OIl0OIl0OIl0OIl0OIl", "INVALID_ADDRESS"],
      ["So1111111111111111111111111111111111111111112", "INVALID_ADDRESS"],
      ["", "INVALID_ADDRESS"],
      [env.stable.authorities.mintAuthority as string, "NOT_A_MINT"],
      [vault, "NOT_A_MINT"],
      ["TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA", "NOT_A_MINT"],
      ["Ahg1opVcGX9PFVfGTBgCaqXTFDCvkAhSsaSFWBPhKrJd", "TOKEN_NOT_FOUND"],
    ];
    for (const [mint, code] of cases)
      expect(await codeOf(analyzer.analyzeToken(mint)), mint).toBe(code);
  });

  it("an RPC that cannot be reached is RPC_UNAVAILABLE, not a crash", async () => {
    const analyzer = analyzerWith({ rpc: createSolanaRpc("http://127.0.0.1:9") });
    expect(await codeOf(analyzer.analyzeToken(env.market.mints.POPY as string))).toBe(
      "RPC_UNAVAILABLE",
    );
  });

  it("a swap API that is down makes the market checks unknown and the verdict warn", async () => {
    const analyzer = analyzerWith({
      swapClient: createSwapClient({ baseUrl: "http://127.0.0.1:9/swap/v1", timeoutMs: 2_000 }),
    });
    const report = await analyzer.analyzeToken(env.market.mints.POPY as string);
    const statuses = Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
    expect(statuses).toMatchObject({
      sell_route: "unknown",
      price_impact: "unknown",
      round_trip_loss: "unknown",
    });
    expect(report.verdict).toBe("warn");
  });

  it("unreadable holders and epoch are unknown, never a pass", async () => {
    const failing = (method: string) => () => ({
      send: () => Promise.reject(new Error(`${method} refused`)),
    });
    const rpc = new Proxy(env.rpc, {
      get(target, property, receiver) {
        if (property === "getTokenLargestAccounts" || property === "getEpochInfo")
          return failing(property);
        return Reflect.get(target, property, receiver);
      },
    }) as SafetyRpc;
    const report = await analyzerWith({ rpc }).analyzeToken(env.market.risky.FEE99 as string);
    const holder = report.checks.find((c) => c.id === "holder_concentration");
    expect(holder).toMatchObject({
      status: "unknown",
      detail: expect.stringContaining("getTokenLargestAccounts refused"),
    });
    // Same fee in both epochs: the fee is known without the epoch.
    expect(report.checks.find((c) => c.id === "transfer_fee")?.status).toBe("fail");
    expect(report.verdict).toBe("block");
  });

  it("caches reports for the TTL, shares one analysis in flight, and re-reads when fresh", async () => {
    let calls = 0;
    const counting = new Proxy(env.rpc, {
      get(target, property, receiver) {
        if (property === "getTokenLargestAccounts") calls++;
        return Reflect.get(target, property, receiver);
      },
    }) as SafetyRpc;
    const analyzer = analyzerWith({ rpc: counting, cacheTtlMs: 10_000 });
    const mint = env.market.mints.GLIDE as string;
    const [a, b] = await Promise.all([analyzer.analyzeToken(mint), analyzer.analyzeToken(mint)]);
    expect(a).toBe(b);
    expect(await analyzer.analyzeToken(mint)).toBe(a);
    expect(calls).toBe(1);
    now += 10_001;
    const later = await analyzer.analyzeToken(mint);
    expect(later).not.toBe(a);
    expect(await analyzer.analyzeToken(mint, { fresh: true })).not.toBe(later);
    expect(calls).toBe(3);
  });

  it("a buy's mint re-read reuses recent holders and quotes, reloading them in the background", async () => {
    const calls = { largest: 0, mintReads: 0, quotes: 0 };
    const mint = env.market.mints.BONKY as string;
    const counting = new Proxy(env.rpc, {
      get(target, property, receiver) {
        if (property === "getTokenLargestAccounts") calls.largest++;
        const value = Reflect.get(target, property, receiver);
        if (property !== "getMultipleAccounts") return value;
        return (addresses: string[], config: unknown) => {
          if (addresses[0] === mint) calls.mintReads++;
          return value.call(target, addresses, config);
        };
      },
    }) as SafetyRpc;
    const swapClient = {
      getQuote: (request: Parameters<typeof env.swapClient.getQuote>[0]) => {
        calls.quotes++;
        return env.swapClient.getQuote(request);
      },
    };
    const analyzer = analyzerWith({ rpc: counting, swapClient, cacheTtlMs: 10_000 });
    const first = await analyzer.analyzeToken(mint, { freshMint: true });
    expect(first.verdict).toBe("ok");
    expect(calls).toEqual({ largest: 1, mintReads: 1, quotes: 2 });

    now += 4_000; // within half the TTL: only the mint is read again, once for two buys at once
    const [second, third] = await Promise.all([
      analyzer.analyzeToken(mint, { freshMint: true }),
      analyzer.analyzeToken(mint, { freshMint: true }),
    ]);
    expect(second.checks).toEqual(first.checks);
    expect(third.checks).toEqual(first.checks);
    expect(calls).toEqual({ largest: 1, mintReads: 2, quotes: 2 });
    await analyzer.analyzeToken(mint, { freshMint: true }); // a read once the other is done
    expect(calls.mintReads).toBe(3);

    now += 2_000; // past half: answered at once from the old facts, reloaded behind it
    await analyzer.analyzeToken(mint, { freshMint: true });
    expect(calls.mintReads).toBe(4);
    await vi.waitFor(() => expect(calls).toMatchObject({ largest: 2, quotes: 4 }), {
      timeout: 10_000,
    });
  });

  it("a buy uses holder and market facts up to two TTLs past expiry while they reload, and awaits older ones", async () => {
    const calls = { largest: 0, quotes: 0 };
    const mint = env.market.mints.WIFY as string;
    const counting = new Proxy(env.rpc, {
      get(target, property, receiver) {
        if (property === "getTokenLargestAccounts") calls.largest++;
        return Reflect.get(target, property, receiver);
      },
    }) as SafetyRpc;
    const swapClient = {
      getQuote: (request: Parameters<typeof env.swapClient.getQuote>[0]) => {
        calls.quotes++;
        return env.swapClient.getQuote(request);
      },
    };
    const analyzer = analyzerWith({ rpc: counting, swapClient, cacheTtlMs: 10_000 });
    const first = await analyzer.analyzeToken(mint, { freshMint: true });
    expect(calls).toEqual({ largest: 1, quotes: 2 });

    now += 10_000 + 19_999; // expired, within two more TTLs: answered from them, reloaded behind
    const stale = await analyzer.analyzeToken(mint, { freshMint: true });
    expect(stale.checks).toEqual(first.checks);
    await vi.waitFor(() => expect(calls).toEqual({ largest: 2, quotes: 4 }), { timeout: 10_000 });

    now += 60_000; // past the window of any read so far: everything is read on the path
    await analyzer.analyzeToken(mint, { freshMint: true });
    expect(calls).toEqual({ largest: 3, quotes: 6 });
  });

  it("loads extra allow-list entries from the operator's file, after the built-in ones", async () => {
    const dir = mkdtempSync(join(tmpdir(), "osprey-allow-"));
    try {
      const file = join(dir, "allow.json");
      writeFileSync(
        file,
        JSON.stringify([
          { mint: env.stable.mint, symbol: "SUSD", authorities: env.stable.authorities },
        ]),
      );
      const entries = await getAllowListEntries({ rpc: env.rpc, file });
      expect(entries).toHaveLength(MAINNET_ALLOW_LIST.length + 1);
      expect(entries.at(-1)).toMatchObject({ symbol: "SUSD" });
      writeFileSync(file, JSON.stringify([{ mint: "nope", symbol: "X", authorities: {} }]));
      let code = "";
      try {
        await getAllowListEntries({ rpc: env.rpc, file });
      } catch (error) {
        code = isOspreyError(error) ? error.code : "";
      }
      expect(code).toBe("CONFIG_INVALID");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
