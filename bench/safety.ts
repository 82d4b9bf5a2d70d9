/**
 * Token safety analysis latency with 50 ms injected on the RPC endpoint (sandbox fault profile)
 * and 50 ms on every swap API request (the sandbox swap API has no latency injection, so the
 * client's fetch waits 50 ms before each request). Target: under 2 × 50 + 20 = 120 ms, since the
 * analyzer makes at most two sequential RPC round trips with the quotes alongside them.
 * The floor beside it: two sequential bare getMultipleAccounts through the same RPC, i.e. what
 * the endpoint and this machine cost for two round trips whatever the analyzer does.
 * Then analyses per second from a warm cache.
 *
 * Run: npx tsx bench/safety.ts [rounds=5]
 */
import { createChainClient } from "../src/chain/index.js";
import { systemClock } from "../src/core/index.js";
import {
  createTokenAnalyzer,
  MAINNET_ALLOW_LIST,
  readAllowListEntry,
} from "../src/safety/index.js";
import { startSandbox } from "../src/sandbox/index.js";
import { startSandboxMarket } from "../src/sandbox/market/start-sandbox-market.js";
import { createSwapClient } from "../src/swap/index.js";

const ROUNDS = Number(process.argv[2] ?? 5);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 50);
/** The swap API's latency; set apart to see which path bounds the analysis. */
const SWAP_LATENCY_MS = Number(process.env.BENCH_SWAP_LATENCY_MS ?? LATENCY_MS);
const TARGET_MS = 2 * LATENCY_MS + 20;
const WARM_SECONDS = 2;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const delayedFetch: typeof fetch = async (input, init) => {
  await sleep(SWAP_LATENCY_MS);
  return fetch(input, init);
};

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function main() {
  const sandbox = await startSandbox({ port: 0, faults: [{ latencyMs: LATENCY_MS }] });
  const market = await startSandboxMarket({ chain: sandbox.chain, port: 0, bots: false });
  const chain = createChainClient({
    endpoints: sandbox.rpcUrls.join(","),
    clock: systemClock,
    random: Math.random,
  });
  try {
    const stable = await readAllowListEntry(chain.rpc, market.mints.USDC as string, "USDC");
    const mints = Object.values({ ...market.mints, ...market.risky });
    const cold = createTokenAnalyzer({
      rpc: chain.rpc,
      swapClient: createSwapClient({
        baseUrl: market.swapApiUrl,
        quoteCacheTtlMs: 0,
        fetch: delayedFetch,
      }),
      clock: systemClock,
      allowList: [...MAINNET_ALLOW_LIST, stable],
    });
    await cold.analyzeToken(mints[0] as string, { fresh: true }); // connections and JIT warm-up
    const times: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (const mint of mints) {
        const start = performance.now();
        await cold.analyzeToken(mint, { fresh: true });
        times.push(performance.now() - start);
      }
    }
    times.sort((a, b) => a - b);
    const floor: number[] = [];
    const clockSysvar = "SysvarC1ock11111111111111111111111111111111" as Parameters<
      typeof chain.rpc.getMultipleAccounts
    >[0][number];
    for (let i = 0; i < 20; i++) {
      const start = performance.now();
      await chain.rpc.getMultipleAccounts([clockSysvar]).send();
      await chain.rpc.getMultipleAccounts([clockSysvar]).send();
      floor.push(performance.now() - start);
    }
    floor.sort((a, b) => a - b);
    const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
    console.log(
      `safety analysis, ${LATENCY_MS} ms RPC latency + ${SWAP_LATENCY_MS} ms swap API latency, ${times.length} fresh analyses of ${mints.length} tokens`,
    );
    console.log(
      `  p50 ${fmt(percentile(times, 50))}  p95 ${fmt(percentile(times, 95))}  max ${fmt(times.at(-1) ?? 0)}  (target < ${TARGET_MS} ms)`,
    );

    console.log(
      `  floor: two sequential bare RPC reads p50 ${fmt(percentile(floor, 50))} (analysis overhead above it ${fmt(percentile(times, 50) - percentile(floor, 50))})`,
    );
    let count = 0;
    const until = performance.now() + WARM_SECONDS * 1000;
    for (const mint of mints) await cold.analyzeToken(mint);
    while (performance.now() < until) {
      for (const mint of mints) await cold.analyzeToken(mint);
      count += mints.length;
    }
    console.log(
      `  warm cache: ${Math.round(count / WARM_SECONDS).toLocaleString("en")} analyses/s`,
    );
    const verdict = percentile(times, 50) < TARGET_MS ? "meets" : "misses";
    console.log(`  median ${verdict} the ${TARGET_MS} ms target`);
  } finally {
    chain.close();
    await market.close();
    await sandbox.close();
  }
}

await main();
