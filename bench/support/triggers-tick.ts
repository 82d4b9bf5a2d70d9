import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import type { NewTrigger } from "../../src/automation/triggers/trigger-types.js";
import { createPriceWatcher } from "../../src/automation/watch/price-watcher.js";
import type { Clock } from "../../src/core/clock.js";
import type { UserId, WalletId } from "../../src/core/ids.js";
import { createDatabase } from "../../src/store/database.js";
import { createStore } from "../../src/store/store.js";

const SOL = "So11111111111111111111111111111111111111112";
const TICK_MS = 1_000;

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;

/**
 * (a2) The watcher's whole tick on SQLite: 10,000 armed take-profits over 200 mints in the
 * triggers table, `churn` of them cancelled and as many created between ticks (other users'
 * API calls), a tick a second on a clock this bench moves. Measured per tick (process CPU): the
 * database read that brings the index up to date, the price answer (made in process: no HTTP)
 * and the evaluation. Every 300th tick (5 min) reads every armed row, as each tick did before the
 * watcher read only the rows written since (the "before" figure, in the same run).
 */
export async function runWatcherTick(ticks: number, churn: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "osprey-bench-triggers-"));
  const database = await createDatabase({ kind: "sqlite", path: join(dir, "osprey.db") });
  let now = Date.UTC(2026, 11, 6);
  const clock: Clock = { now: () => now };
  const store = createStore(database, clock);
  try {
    const user = await store.users.create({ username: "bench", passwordHash: "h" });
    const wallet = await store.wallets.create({
      userId: user.id,
      label: "bench",
      publicKey: "4Nd1mBQtrMJVYVfKf2PJy9NZUZdTAsp7D4xWLs4gDB4T" as never,
      envelope: "{}",
    });
    const mints = Array.from({ length: 200 }, (_, i) => `Mint${String(i).padStart(40, "1")}`);
    const newTrigger = (i: number): NewTrigger =>
      ({
        userId: user.id as UserId,
        walletId: wallet.id as WalletId,
        type: "take_profit",
        mint: mints[i % mints.length] as string,
        decimals: 6,
        params: { type: "take_profit", size: { percent: 50 }, priceUsd: "1000" },
        triggerPrice: "1000",
        highWaterPrice: null,
        ocoGroup: null,
        acceptRisk: false,
        nextDueAt: null,
        slippageBps: null,
        expiresAt: now + 86_400_000,
      }) as unknown as NewTrigger;
    const ids: string[] = [];
    for (let i = 0; i < 10_000; i++) ids.push((await store.triggers.create(newTrigger(i))).id);
    // Armed a minute ago, not all in the last read's overlap window.
    now += 60_000;
    let block = 0;
    const watcher = createPriceWatcher({
      clock,
      solMint: SOL,
      intervalMs: TICK_MS,
      maxAgeMs: 10_000,
      fetchQuotes: async (wanted) => {
        block += 1;
        return new Map(wanted.map((mint) => [mint, { usd: 1, blockId: block }]));
      },
      listArmed: () => store.triggers.listArmed(),
      listChangedSince: (since) => store.triggers.listChangedSince(since),
      readTrigger: (id) => store.triggers.findById(id),
      isBusy: () => false,
      onCrossings: () => {},
      onHighWaters: async () => {},
      onError: (error) => {
        throw error;
      },
    });
    const full: number[] = [];
    const incremental: number[] = [];
    let next = ids.length;
    for (let tick = 0; tick < ticks; tick++) {
      for (let k = 0; k < churn; k++) {
        const id = ids.shift() as string;
        await store.triggers.cancel(user.id as UserId, id, "CANCELLED", "bench");
        ids.push((await store.triggers.create(newTrigger(next++))).id);
      }
      const started = process.cpuUsage();
      await watcher.tick();
      const used = process.cpuUsage(started);
      (tick % 300 === 0 ? full : incremental).push((used.user + used.system) / 1_000);
      if (watcher.evaluator.size !== 10_000) throw new Error(`index: ${watcher.evaluator.size}`);
      now += TICK_MS;
    }
    full.sort((a, b) => a - b);
    incremental.sort((a, b) => a - b);
    const f = (ms: number) => ms.toFixed(2);
    process.stdout.write(
      [
        `(a2) the watcher's whole tick on SQLite: 10000 armed triggers over 200 mints, ${churn} cancelled and ${churn} created between ticks, ${ticks} ticks, load average ${loadavg()[0]?.toFixed(2)}`,
        `    tick reading the rows written since the last one: CPU p50 ${f(percentile(incremental, 50))} ms, p99 ${f(percentile(incremental, 99))} ms (target ≤ 20 ms)`,
        `    tick reading every armed row (every 5 min; before, every tick): CPU p50 ${f(percentile(full, 50))} ms, max ${f(full.at(-1) ?? 0)} ms`,
        "",
      ].join("\n"),
    );
  } finally {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
