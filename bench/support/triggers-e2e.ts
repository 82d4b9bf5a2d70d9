import { execFile } from "node:child_process";
import { loadavg } from "node:os";
import { address } from "../../src/core/addresses.js";
import { getFeeAccount } from "../../src/trading/fee-account.js";
import { startAutomationCrashHarness } from "../../test/automation/crash-automation-harness.js";
import { armLimitBuys } from "../../test/automation/crash-trigger-setup.js";
import { scalePrice } from "../../test/automation/support/market-mover.js";

const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const SOL = "So11111111111111111111111111111111111111112";
/** Each step lowers the price 4%; trigger k sits 2% above the price after step k + 1. */
const STEP = 0.96;
const MARGIN = 1.02;
const STEP_MS = 1_000;

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;

/**
 * (b) `osprey serve` (a child process, TRIGGER_PRICE_INTERVAL_MS 200) against the sandbox in this
 * process. One wallet arms `firings` limit buys of BONKY, one per price step, and the price walks
 * down a step a second, so each firing meets an idle server. For each: from the watcher's tick
 * that saw the crossing (the firing row's crossed_at) to the first send the sandbox received of
 * its order's transaction (the send log), both on this machine's clock. Beside it, in the same
 * run, the swap API's `/swap/v2/build` timed alone from this process: the round trip a firing
 * cannot avoid, so the target "p50 ≤ one round trip + 15 ms" reads off the output.
 */
export async function runEndToEnd(firings: number): Promise<void> {
  const harness = await startAutomationCrashHarness({ instances: 1 });
  try {
    await harness.start(0);
    const api = harness.apis[0] ?? "";
    const mint = harness.stack.ready.mints.BONKY ?? "";
    const levels = Array.from({ length: firings }, (_, k) => STEP ** (k + 1) * MARGIN);
    const [wallet] = await armLimitBuys(harness, api, {
      users: 1,
      walletsEach: 1,
      perWallet: firings,
      mints: [mint],
      levels,
    });
    if (!wallet) throw new Error("no wallet");
    // The swap API alone: the build a buy of the same size makes (taker, fee account and all).
    const feeAccount = await getFeeAccount(address(harness.feeWallet));
    // The ready line names v1's base (`…/swap/v1`); v2 sits beside it, as the server derives it.
    const v2 = harness.stack.ready.swapApi.replace(/\/swap\/v1\/?$/, "/swap/v2");
    const build = `${v2}/build?inputMint=${SOL}&outputMint=${mint}&amount=20000000&taker=${wallet.publicKey}&slippageBps=3000&platformFeeBps=85&feeAccount=${feeAccount}`;
    const builds: number[] = [];
    for (let i = 0; i < 31; i++) {
      const started = performance.now();
      const response = await fetch(build);
      await response.text();
      if (!response.ok) throw new Error(`build: ${response.status}`);
      if (i > 0) builds.push(performance.now() - started);
    }
    // The same calls from another process, as the server makes them: a round trip between two
    // processes (two event loops to wake, a 2-core machine) is what a firing pays.
    const apart = await timeBuildsFromChild(build, 31);
    for (let step = 0; step < firings; step++) {
      scalePrice(harness.stack, mint, STEP);
      await sleep(STEP_MS);
    }
    const database = await harness.openDatabase();
    const latencies: number[] = [];
    // Where the time goes: firing row claimed, order row written (after the plan), SIGNED stored.
    const stages = { claimed: [] as number[], written: [] as number[], signed: [] as number[] };
    let unsent = 0;
    try {
      for (let wait = 0; wait < 60; wait++) {
        const rows = await database.db.selectFrom("triggerFirings").select("orderId").execute();
        if (rows.filter((r) => r.orderId !== null).length >= firings) break;
        await sleep(500);
      }
      const rows = await database.db
        .selectFrom("triggerFirings")
        .innerJoin("orders", "orders.id", "triggerFirings.orderId")
        .select([
          "triggerFirings.crossedAt",
          "triggerFirings.createdAt as claimedAt",
          "orders.createdAt as writtenAt",
          "orders.id",
          "orders.signature",
        ])
        .execute();
      const signedAt = new Map(
        (
          await database.db
            .selectFrom("orderEvents")
            .select(["orderId", "at"])
            .where("status", "=", "SIGNED")
            .execute()
        ).map((e) => [e.orderId, Number(e.at)]),
      );
      for (const row of rows) {
        const sends = row.signature
          ? harness.stack.sandbox.sendLog.list({ signature: row.signature })
          : [];
        const first = Math.min(...sends.map((s) => s.at));
        if (!Number.isFinite(first)) {
          unsent++;
          continue;
        }
        const crossed = Number(row.crossedAt);
        latencies.push(first - crossed);
        stages.claimed.push(Number(row.claimedAt) - crossed);
        stages.written.push(Number(row.writtenAt) - crossed);
        stages.signed.push((signedAt.get(row.id) ?? Number.NaN) - crossed);
      }
    } finally {
      await database.close();
    }
    const sorted = latencies.sort((a, b) => a - b);
    const sortedBuilds = builds.sort((a, b) => a - b);
    const f = (ms: number) => `${Math.round(ms)} ms`;
    const f1 = (ms: number) => `${ms.toFixed(1)} ms`;
    const sortedApart = apart.sort((a, b) => a - b);
    const target = percentile(sortedApart, 50) + 15;
    process.stdout.write(
      [
        `(b) end to end: ${latencies.length} of ${firings} firings sent (${unsent} unsent), load average ${loadavg()[0]?.toFixed(2)}`,
        `    crossing → first send p50 ${f(percentile(sorted, 50))}, p99 ${f(percentile(sorted, 99))}, min ${f(sorted[0] ?? Number.NaN)}, max ${f(sorted.at(-1) ?? Number.NaN)}`,
        `    from the crossing, p50: firing claimed ${f(median(stages.claimed))}, order written (planned, /build done) ${f(median(stages.written))}, SIGNED stored ${f(median(stages.signed))}`,
        `    /swap/v2/build alone from another process p50 ${f1(percentile(sortedApart, 50))}, p99 ${f1(percentile(sortedApart, 99))}; from the sandbox's own process p50 ${f1(percentile(sortedBuilds, 50))}, p99 ${f1(percentile(sortedBuilds, 99))} (${builds.length} calls each)`,
        `    target p50 ≤ build p50 (another process) + 15 ms = ${f1(target)}: ${percentile(sorted, 50) <= target ? "met" : "not met"} (against the own-process build: ${f1(percentile(sortedBuilds, 50) + 15)}, ${percentile(sorted, 50) <= percentile(sortedBuilds, 50) + 15 ? "met" : "not met"})`,
        "",
      ].join("\n"),
    );
  } finally {
    await harness.close();
  }
}

/** `count` GETs of `url` one after another from a fresh Node process (the first, connecting, left out). */
function timeBuildsFromChild(url: string, count: number): Promise<number[]> {
  const script = `
    const times = [];
    for (let i = 0; i < ${count}; i++) {
      const started = performance.now();
      const response = await fetch(process.argv[1]);
      await response.text();
      if (!response.ok) throw new Error("build: " + response.status);
      if (i > 0) times.push(performance.now() - started);
    }
    process.stdout.write(JSON.stringify(times));`;
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--input-type=module", "-e", script, url],
      { timeout: 60_000 },
      (error, stdout) => (error ? reject(error) : resolve(JSON.parse(stdout) as number[])),
    );
  });
}
