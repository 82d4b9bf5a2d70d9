/**
 * Standing orders (issue 20).
 *
 * (a) Evaluation: the firing helper's evaluator (src/automation/watch/trigger-evaluator.ts) holds
 *     10,000 armed triggers over 200 mints (limit buys, take-profits, stop-losses, trailing stops
 *     and DCA in the proportions of `MIX`, priced 2–40% away from their mint), and every tick
 *     moves every mint's price by a random step of up to ±1% and evaluates them all. Measured per
 *     tick: the process's CPU time (`process.cpuUsage`, user + system) for the evaluation and the
 *     re-arming of whatever crossed (so the index stays at 10,000). Target ≤ 20 ms per tick.
 * (a2) The watcher's whole tick with its database read (bench/support/triggers-tick.ts).
 * (b) End to end (bench/support/triggers-e2e.ts): crossing to first send on the sandbox.
 *
 * Run: npx tsx bench/triggers.ts [ticks=2000] [e2eFirings=40] (0 firings: only (a)).
 */
import { loadavg } from "node:os";
import {
  createTriggerEvaluator,
  type MintPrice,
  type WatchedTrigger,
} from "../src/automation/watch/trigger-evaluator.js";
import { createSeededRandom } from "../src/sandbox/index.js";
import { runEndToEnd } from "./support/triggers-e2e.js";
import { runWatcherTick } from "./support/triggers-tick.js";

const TICKS = Number(process.argv[2] ?? 2_000);
const FIRINGS = Number(process.argv[3] ?? 40);
const TRIGGERS = 10_000;
const MINTS = 200;
const MIX = { limit_buy: 0.3, take_profit: 0.25, stop_loss: 0.25, trailing_stop: 0.15, dca: 0.05 };

const random = createSeededRandom(20261206);
const mints = Array.from({ length: MINTS }, (_, i) => `Mint${String(i).padStart(40, "1")}`);
const prices = new Map<string, number>(mints.map((mint) => [mint, 0.0001 + random() * 10]));

/** The type whose share of MIX the draw `x` (0–1) falls in. */
function pickType(x: number): keyof typeof MIX {
  let below = 0;
  for (const [type, share] of Object.entries(MIX) as [keyof typeof MIX, number][]) {
    below += share;
    if (x < below) return type;
  }
  return "limit_buy";
}

let version = 0;
/** A trigger priced 2–40% away from its mint's price now, on the side it waits for. */
function newTrigger(id: string, mint: string): WatchedTrigger {
  const price = prices.get(mint) ?? 1;
  const away = 0.02 + random() * 0.38;
  const type = pickType(random());
  const base = { id, mint, highWaterPrice: null, nextDueAt: null, updatedAt: ++version };
  switch (type) {
    case "limit_buy":
    case "stop_loss":
      return {
        ...base,
        type,
        triggerPrice: String(price * (1 - away)),
        params:
          type === "limit_buy"
            ? { type, amountLamports: 10_000_000n, priceUsd: String(price * (1 - away)) }
            : { type, size: { percent: 50 }, priceUsd: String(price * (1 - away)) },
      };
    case "take_profit":
      return {
        ...base,
        type,
        triggerPrice: String(price * (1 + away)),
        params: { type, size: { percent: 50 }, priceUsd: String(price * (1 + away)) },
      };
    case "trailing_stop":
      return {
        ...base,
        type,
        triggerPrice: null,
        highWaterPrice: String(price),
        params: { type, size: { percent: 100 }, trailPercent: away * 100 },
      };
    case "dca":
      return {
        ...base,
        type,
        triggerPrice: null,
        nextDueAt: Date.now() + 3_600_000,
        params: { type, amountLamports: 10_000_000n, intervalMs: 3_600_000, count: 10 },
      };
  }
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;

function benchEvaluation() {
  const evaluator = createTriggerEvaluator();
  for (let i = 0; i < TRIGGERS; i++) evaluator.add(newTrigger(`t${i}`, mints[i % MINTS] as string));
  const cpu: number[] = [];
  const wall: number[] = [];
  let crossed = 0;
  let highWaters = 0;
  for (let tick = 0; tick < TICKS; tick++) {
    const now = Date.now();
    const fresh = new Map<string, MintPrice>();
    for (const mint of mints) {
      const next = (prices.get(mint) ?? 1) * (1 + (random() - 0.5) * 0.02);
      prices.set(mint, next);
      fresh.set(mint, { usd: next, at: now });
    }
    const startCpu = process.cpuUsage();
    const startWall = performance.now();
    const result = evaluator.evaluate(fresh, 150, now);
    // What crossed leaves the index; new triggers take their place so 10,000 stay armed.
    for (const crossing of result.crossings)
      evaluator.add(newTrigger(crossing.trigger.id, crossing.trigger.mint));
    wall.push(performance.now() - startWall);
    const used = process.cpuUsage(startCpu);
    cpu.push((used.user + used.system) / 1_000);
    crossed += result.crossings.length;
    highWaters += result.highWaters.length;
  }
  // The first ticks warm the JIT up; they are reported apart.
  const warm = 50;
  const sortedCpu = cpu.slice(warm).sort((a, b) => a - b);
  const sortedWall = wall.slice(warm).sort((a, b) => a - b);
  const f = (ms: number) => ms.toFixed(2);
  process.stdout.write(
    [
      `(a) evaluation: ${evaluator.size} armed triggers over ${MINTS} mints, ${TICKS} ticks (first ${warm} left out), load average ${loadavg()[0]?.toFixed(2)}`,
      `    CPU per tick p50 ${f(percentile(sortedCpu, 50))} ms, p99 ${f(percentile(sortedCpu, 99))} ms, max ${f(sortedCpu.at(-1) ?? 0)} ms (target ≤ 20 ms)`,
      `    wall per tick p50 ${f(percentile(sortedWall, 50))} ms, p99 ${f(percentile(sortedWall, 99))} ms; first tick ${f(cpu[0] ?? 0)} ms CPU`,
      `    ${(crossed / TICKS).toFixed(1)} crossings and ${(highWaters / TICKS).toFixed(1)} trailing highs per tick (re-armed at once)`,
      "",
    ].join("\n"),
  );
}

benchEvaluation();
await runWatcherTick(Math.min(TICKS, 120), 20);
if (FIRINGS > 0) await runEndToEnd(FIRINGS);
