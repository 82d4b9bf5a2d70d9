import { describe, expect, it } from "vitest";
import { createPriceSampler, type PriceTick } from "../../src/tokens/price-sampler.js";
import { SOL_MINT } from "../../src/trading/price-client.js";
import { describeEachDatabase } from "../support/databases.js";
import { createFakeClock } from "../support/fake-clock.js";
import { createUserWithWallet, useTestStore } from "../support/test-store.js";

const MINUTE = 60_000;
const A = "4Nd1mBQtrMJVYVfKf2PJy9NZUZdTAsp7D4xWLs4gDB4T";
const B = "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v";
const HELD = "Es9vMFrzaCERmJfrF4H2FYD4KCoNkY11McCe8BenwNYB";
// Each test its own mints: the store is shared by the tests of a database.
const VIEWED = "mSoLzYCxHdYgdzU16g5QSh3i5K3z3KZK7ytfqcJm7So";
const KEPT = "J1toso1uCk3RLmjorhTtrVwY9HJ7X8V9yYac6Y7kGCPn";

/** The price API stands outside the machine: a scripted one, recording what it was asked. */
function scriptedPrices(initial: Record<string, number>) {
  const table = new Map(Object.entries(initial));
  const asked: string[][] = [];
  return {
    table,
    asked,
    fetch: async (mints: readonly string[]) => {
      asked.push([...mints]);
      return new Map(mints.flatMap((m) => (table.has(m) ? [[m, table.get(m) as number]] : [])));
    },
  };
}

describeEachDatabase("price candles and the price sampler", (testDb) => {
  // Minute-aligned start, so the samples below fall where the test says.
  const clock = createFakeClock(Date.UTC(2026, 0, 1, 12, 0, 0));
  const env = useTestStore(testDb, clock);

  it("the repository folds samples into 1-minute OHLC candles, across calls", async () => {
    const candles = env.store.candles;
    const t0 = Date.UTC(2026, 0, 2, 0, 0, 0);
    await candles.addSamples([
      { mint: A, at: t0 + 1_000, priceUsd: 2 },
      { mint: A, at: t0 + 20_000, priceUsd: 3 },
    ]);
    await candles.addSamples([
      { mint: A, at: t0 + 40_000, priceUsd: 1.5 },
      { mint: A, at: t0 + 50_000, priceUsd: 2.5 },
      { mint: A, at: t0 + MINUTE + 5_000, priceUsd: 4 },
      { mint: B, at: t0 + 5_000, priceUsd: 1 },
    ]);
    expect(await candles.list(A, t0)).toEqual([
      { mint: A, startedAt: t0, open: 2, high: 3, low: 1.5, close: 2.5 },
      { mint: A, startedAt: t0 + MINUTE, open: 4, high: 4, low: 4, close: 4 },
    ]);
    expect(await candles.list(A, t0 + MINUTE)).toHaveLength(1);
    expect(await candles.prune(t0 + MINUTE)).toBe(2);
    expect(await candles.list(A, 0)).toHaveLength(1);
    expect(await candles.list(B, 0)).toEqual([]);
  });

  it("samples viewed and held tokens in one batched request, folds them, ticks with the SOL price", async () => {
    const prices = scriptedPrices({ [VIEWED]: 10, [HELD]: 1, [SOL_MINT]: 100 });
    const { userId, walletId } = await createUserWithWallet(env.store, "sampler-held");
    await env.store.positions.save({
      userId,
      walletId,
      mint: HELD,
      amount: 5n,
      costLamports: 1n,
      realizedPnlLamports: 0n,
    });
    await env.store.positions.save({
      userId,
      walletId,
      mint: B,
      amount: 0n,
      costLamports: 0n,
      realizedPnlLamports: 0n,
    });
    const sampler = createPriceSampler({
      prices: prices.fetch,
      candles: env.store.candles,
      heldMints: () => env.store.positions.listHeldMints(),
      clock,
    });
    const ticks: PriceTick[] = [];
    const unsubscribe = sampler.onTick((tick) => ticks.push(tick));
    clock.set(Math.ceil(clock.now() / MINUTE) * MINUTE);
    const start = clock.now();
    sampler.watch(VIEWED);
    expect((await sampler.getSampledMints()).sort()).toEqual([VIEWED, HELD].sort());

    await sampler.sampleNow();
    expect(prices.asked).toEqual([[VIEWED, HELD, SOL_MINT]]);
    expect(ticks).toContainEqual({
      mint: VIEWED,
      priceUsd: 10,
      priceSol: 0.1,
      time: new Date(start).toISOString(),
    });
    clock.advance(15_000);
    prices.table.set(VIEWED, 12);
    await sampler.sampleNow();
    clock.advance(15_000);
    prices.table.set(VIEWED, 9);
    await sampler.sampleNow();
    clock.advance(40_000); // the next minute
    prices.table.set(VIEWED, 11);
    await sampler.sampleNow();

    const candles = await sampler.getCandles(VIEWED, 5);
    expect(candles).toEqual([
      { mint: VIEWED, startedAt: start, open: 10, high: 12, low: 9, close: 9 },
      { mint: VIEWED, startedAt: start + MINUTE, open: 11, high: 11, low: 11, close: 11 },
    ]);
    expect(await sampler.getCandles(VIEWED, 1)).toHaveLength(1);
    expect(await sampler.getCandles(HELD, 5)).toHaveLength(2);
    unsubscribe();
    const seen = ticks.length;
    await sampler.sampleNow();
    expect(ticks).toHaveLength(seen);
  });

  it("drops a token ten minutes after its last view, but not while held by a stream", async () => {
    const prices = scriptedPrices({ [A]: 1, [B]: 2 });
    const sampler = createPriceSampler({
      prices: prices.fetch,
      candles: env.store.candles,
      heldMints: async () => [],
      clock,
    });
    sampler.watch(A);
    const release = sampler.hold(B);
    clock.advance(9 * MINUTE);
    expect((await sampler.getSampledMints()).sort()).toEqual([A, B].sort());
    clock.advance(MINUTE);
    expect(await sampler.getSampledMints()).toEqual([B]);
    clock.advance(60 * MINUTE);
    expect(await sampler.getSampledMints()).toEqual([B]);
    release();
    release();
    clock.advance(10 * MINUTE - 1);
    expect(await sampler.getSampledMints()).toEqual([B]);
    clock.advance(1);
    expect(await sampler.getSampledMints()).toEqual([]);
    prices.asked.length = 0;
    await sampler.sampleNow();
    expect(prices.asked).toEqual([]);
  });

  it("prunes candles past the retention limit, at the first round and then periodically", async () => {
    const prices = scriptedPrices({ [KEPT]: 5 });
    const sampler = createPriceSampler({
      prices: prices.fetch,
      candles: env.store.candles,
      heldMints: async () => [KEPT],
      clock,
      retentionMs: 2 * 60 * MINUTE,
      pruneEveryMs: 60 * MINUTE,
    });
    const minuteOf = (at: number) => Math.floor(at / MINUTE) * MINUTE;
    const starts = async () => (await env.store.candles.list(KEPT, 0)).map((c) => c.startedAt);
    const first = minuteOf(clock.now());
    await sampler.sampleNow();
    clock.advance(60 * MINUTE);
    await sampler.sampleNow(); // prunes before first - 1 h: nothing
    clock.advance(30 * MINUTE);
    await sampler.sampleNow(); // no prune: the last was 30 minutes ago
    expect(await starts()).toHaveLength(3);
    expect(await starts()).toContain(first);
    clock.advance(90 * MINUTE);
    await sampler.sampleNow(); // prunes everything older than 2 h
    const left = await starts();
    expect(left).not.toContain(first);
    expect(left).toContain(minuteOf(clock.now()));
    expect(left.every((at) => at >= clock.now() - 2 * 60 * MINUTE)).toBe(true);
  });
});

describe("price sampler timing", () => {
  it("runs rounds on its interval once started, and stops", async () => {
    const clock = createFakeClock();
    let rounds = 0;
    const sampler = createPriceSampler({
      prices: async () => {
        rounds++;
        return new Map();
      },
      candles: { addSamples: async () => {}, list: async () => [], prune: async () => 0 },
      heldMints: async () => [A],
      clock,
      intervalMs: 5,
    });
    sampler.start();
    for (let i = 0; i < 200 && rounds < 2; i++) await new Promise((r) => setTimeout(r, 5));
    await sampler.stop();
    const after = rounds;
    expect(after).toBeGreaterThanOrEqual(2);
    await new Promise((r) => setTimeout(r, 30));
    expect(rounds).toBe(after);
  });
});
