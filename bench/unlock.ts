/**
 * Wallet unlock throughput and latency with the DEFAULT argon2id parameters (64 MiB, t=3, p=4),
 * through the whole unlockWallet path (throttle, KDF limiter, decrypt, session), at concurrency
 * 1, 4 and 32, sampling process RSS to show that the KDF cap keeps memory bounded.
 * Run: npx tsx bench/unlock.ts [--compare-uncapped]
 */
import { availableParallelism, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { systemClock } from "../src/core/clock.js";
import { createUuidV7, userId } from "../src/core/ids.js";
import { createMemoryKvStore } from "../src/kv/index.js";
import {
  createAttemptThrottle,
  createKdfLimiter,
  createSessionManager,
  createWalletCipher,
  createWalletService,
  DEFAULT_KDF_PARAMS,
  type NewWallet,
  type WalletService,
} from "../src/wallet/index.js";

const PASSWORD = "bench password, long enough";
const MiB = 1024 * 1024;

function createService(maxConcurrent: number): WalletService {
  const kv = createMemoryKvStore(systemClock);
  return createWalletService({
    cipher: createWalletCipher({ limiter: createKdfLimiter({ maxConcurrent, maxQueued: 64 }) }),
    sessions: createSessionManager({ kv, clock: systemClock }),
    throttle: createAttemptThrottle({ kv }),
    audit: () => {},
    clock: systemClock,
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

async function run(
  service: WalletService,
  wallets: NewWallet[],
  concurrency: number,
  total: number,
) {
  const latencies: number[] = [];
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 20);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (next < total) {
        next += 1;
        const wallet = wallets[worker % wallets.length] as NewWallet;
        const t0 = performance.now();
        await service.unlockWallet({ userId: owner(worker), wallet, password: PASSWORD });
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  latencies.sort((a, b) => a - b);
  return {
    concurrency,
    unlocks: total,
    perSecond: total / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    peakRssMiB: Math.max(peakRss, process.memoryUsage.rss()) / MiB,
  };
}

// One user and wallet per worker, so the per-user throttle never interferes.
const owners = Array.from({ length: 32 }, () => userId(createUuidV7()));
const owner = (worker: number) =>
  owners[worker % owners.length] ?? owners[0] ?? userId(createUuidV7());

async function main() {
  const compare = process.argv.includes("--compare-uncapped");
  const { memoryKiB, passes, parallelism } = DEFAULT_KDF_PARAMS;
  console.log(
    `argon2id m=${memoryKiB / 1024} MiB t=${passes} p=${parallelism}; KDF cap 2 concurrent; ` +
      `${availableParallelism()} CPUs (load ${loadavg()[0]?.toFixed(1)}); node ${process.version}`,
  );
  const service = createService(2);
  const wallets = await Promise.all(owners.map((id) => service.createWallet(id, PASSWORD)));
  globalThis.gc?.();
  console.log(`baseline RSS ${(process.memoryUsage.rss() / MiB).toFixed(0)} MiB`);
  const plan: [number, number][] = [
    [1, 6],
    [4, 12],
    [32, 32],
  ];
  const rows = [];
  for (const [concurrency, total] of plan)
    rows.push(await run(service, wallets, concurrency, total));
  if (compare) {
    // The same load with the cap lifted: what the limiter saves.
    rows.push({ ...(await run(createService(32), wallets, 32, 32)), concurrency: "32 uncapped" });
  }
  console.table(
    rows.map((r) => ({
      concurrency: r.concurrency,
      unlocks: r.unlocks,
      "unlocks/s": r.perSecond.toFixed(2),
      "p50 ms": r.p50.toFixed(0),
      "p99 ms": r.p99.toFixed(0),
      "peak RSS MiB": r.peakRssMiB.toFixed(0),
    })),
  );
  console.log(
    `load average after: ${loadavg()[0]?.toFixed(1)} (a shared machine skews these figures)`,
  );
}

await main();
