/**
 * Sandbox swap API throughput through its public routes, with the official @jup-ag/api client:
 * quotes per second, then swaps (quote → swap → user signs → sendTransaction over JSON-RPC) at a
 * few concurrencies, counted as landed once every swap's status is visible. `osprey sandbox` runs
 * as a child process from each checkout, so `--before DIR` measures an older checkout in the same
 * run, alternating which goes first. Only the healthy tokens trade, so the market's bots idle.
 * Run: npx tsx bench/sandbox-swap.ts [--before DIR] [--root DIR] [--seconds 3] [--rounds 3]
 */
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { Configuration, SwapApi } from "@jup-ag/api";
import {
  generateKeyPairSigner,
  getBase64EncodedWireTransaction,
  getBase64Encoder,
  getTransactionDecoder,
  type KeyPairSigner,
  signTransaction,
} from "@solana/kit";
import {
  type CheckoutSandbox,
  inTurn,
  withCheckoutSandboxes,
} from "./support/checkout-sandboxes.js";
import { createJsonRpcClient, fundByAirdrop, waitForStatuses } from "./support/json-rpc-client.js";
import { createFigure, type Figure, printSideBySide } from "./support/side-by-side.js";

const { values } = parseArgs({
  options: {
    before: { type: "string" },
    root: { type: "string" },
    seconds: { type: "string", default: "3" },
    rounds: { type: "string", default: "3" },
  },
});
const SOL = "So11111111111111111111111111111111111111112";
const SECONDS = Number(values.seconds);
const ROUNDS = Number(values.rounds);
const WARMUP_SECONDS = 1;
const SLOT_MS = 100;
const CONCURRENCIES = [1, 8, 32];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** `task` in a loop on `concurrency` workers for SECONDS; latencies of the calls that succeeded. */
async function run(concurrency: number, seconds: number, task: (worker: number) => Promise<void>) {
  const latencies: number[] = [];
  let errors = 0;
  let firstError = "";
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (performance.now() < deadline) {
        const t = performance.now();
        try {
          await task(worker);
          latencies.push(performance.now() - t);
        } catch (error) {
          if (errors === 0) firstError = await describeError(error);
          errors += 1;
        }
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return {
    started,
    latencies,
    errors,
    firstError,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

/** An error's message, or the body of a swap API error answer (the client's ResponseError). */
async function describeError(error: unknown): Promise<string> {
  const response = (error as { response?: unknown }).response;
  if (response instanceof Response) return `${response.status} ${await response.text()}`;
  return error instanceof Error ? error.message : String(error);
}

interface Target {
  readonly checkout: CheckoutSandbox;
  readonly jupiter: SwapApi;
  readonly mints: string[];
  readonly users: KeyPairSigner[];
}

async function prepare(checkout: CheckoutSandbox): Promise<Target> {
  const { sandbox } = checkout;
  const users = await Promise.all(Array.from({ length: 32 }, () => generateKeyPairSigner()));
  const client = createJsonRpcClient(sandbox.rpc[0] as string);
  await fundByAirdrop(
    client,
    users.map((u) => u.address),
    1_000_000_000_000n,
  );
  client.close();
  return {
    checkout,
    jupiter: new SwapApi(new Configuration({ basePath: sandbox.swapApi })),
    mints: Object.entries(sandbox.mints)
      .filter(([symbol]) => symbol !== "USDC")
      .map(([, mint]) => mint),
    users,
  };
}

async function benchQuotes(target: Target, concurrency: number, seconds = SECONDS) {
  const cpuStart = target.checkout.cpuSeconds();
  const r = await run(concurrency, seconds, async (worker) => {
    await target.jupiter.quoteGet({
      inputMint: SOL,
      outputMint: target.mints[worker % target.mints.length] as string,
      amount: 10_000_000,
      platformFeeBps: 85,
    });
  });
  return { ...r, cpu: target.checkout.cpuSeconds() - cpuStart };
}

async function benchSwaps(target: Target, concurrency: number, runSeconds = SECONDS) {
  const client = createJsonRpcClient(target.checkout.sandbox.rpc[0] as string, concurrency);
  const signatures: string[] = [];
  let count = 0;
  const cpuStart = target.checkout.cpuSeconds();
  const r = await run(concurrency, runSeconds, async (worker) => {
    const user = target.users[worker] as KeyPairSigner;
    count += 1;
    const quote = await target.jupiter.quoteGet({
      inputMint: SOL,
      outputMint: target.mints[worker % target.mints.length] as string,
      // Distinct amounts: a swap built before the user's previous one landed is still unique.
      amount: 10_000_000 + count,
      slippageBps: 500,
    });
    const { swapTransaction } = await target.jupiter.swapPost({
      swapRequest: {
        quoteResponse: quote,
        userPublicKey: user.address,
        dynamicComputeUnitLimit: true,
      },
    });
    const tx = getTransactionDecoder().decode(getBase64Encoder().encode(swapTransaction));
    const signed = await signTransaction([user.keyPair], tx);
    const wire = getBase64EncodedWireTransaction(signed);
    // As @solana/kit sends it: preflight at its default commitment, `confirmed`.
    const config = { encoding: "base64", preflightCommitment: "confirmed" };
    signatures.push(await client.call<string>("sendTransaction", [wire, config]));
  });
  const outcome = await waitForStatuses(client, signatures);
  const seconds = (performance.now() - r.started) / 1000;
  const cpu = target.checkout.cpuSeconds() - cpuStart;
  client.close();
  return { ...r, ...outcome, sent: signatures.length, seconds, cpu };
}

const quoteFigures = CONCURRENCIES.map((c) => ({
  rate: createFigure(`quotes c=${c}: per second`, "/s"),
  perCpu: createFigure(`quotes c=${c}: per sandbox CPU-second`, ""),
  p50: createFigure(`quotes c=${c}: p50`, " ms", 2),
  p99: createFigure(`quotes c=${c}: p99`, " ms", 2),
}));
const swapFigures = CONCURRENCIES.map((c) => ({
  landed: createFigure(`swaps c=${c}: landed/s (until every status is visible)`, "/s"),
  perCpu: createFigure(`swaps c=${c}: landed per sandbox CPU-second`, "", 0),
  p50: createFigure(`swaps c=${c}: quote → swap → send p50`, " ms", 2),
  p99: createFigure(`swaps c=${c}: quote → swap → send p99`, " ms", 2),
}));
const problems: string[] = [];

await withCheckoutSandboxes(
  { before: values.before, root: values.root, args: ["--slot-ms", String(SLOT_MS)] },
  async (checkouts) => {
    const targets: Target[] = [];
    for (const checkout of checkouts) targets.push(await prepare(checkout));
    const ordered = (turn: number) =>
      inTurn(checkouts, turn).map((c) => targets.find((t) => t.checkout === c) as Target);
    // Warm the JIT on both sides before measuring.
    for (const target of targets) {
      await benchQuotes(target, 8, WARMUP_SECONDS);
      await benchSwaps(target, 8, WARMUP_SECONDS);
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, concurrency] of CONCURRENCIES.entries()) {
        const figure = quoteFigures[i] as (typeof quoteFigures)[number];
        for (const target of ordered(round + i)) {
          const r = await benchQuotes(target, concurrency);
          const label = target.checkout.label;
          figure.rate.add(label, r.latencies.length / SECONDS);
          figure.perCpu.add(label, r.latencies.length / r.cpu);
          figure.p50.add(label, r.p50);
          figure.p99.add(label, r.p99);
          if (r.errors > 0)
            problems.push(
              `${label} quotes c=${concurrency}: ${r.errors} errors (first: ${r.firstError})`,
            );
        }
      }
      for (const [i, concurrency] of CONCURRENCIES.entries()) {
        const figure = swapFigures[i] as (typeof swapFigures)[number];
        for (const target of ordered(round + i)) {
          const r = await benchSwaps(target, concurrency);
          const label = target.checkout.label;
          figure.landed.add(label, r.landed / r.seconds);
          figure.perCpu.add(label, r.landed / r.cpu);
          figure.p50.add(label, r.p50);
          figure.p99.add(label, r.p99);
          process.stderr.write(
            `round ${round + 1} ${label} swaps c=${concurrency}: ${r.landed}/${r.sent} landed in ${r.seconds.toFixed(2)} s, ${r.errors} errors, sandbox CPU ${r.cpu.toFixed(2)} s\n`,
          );
          if (r.errors > 0 || r.landed !== r.sent)
            problems.push(
              `${label} round ${round + 1} swaps c=${concurrency}: ${r.errors} errors (first: ${r.firstError}); of ${r.sent} sent ${r.landed} landed, ${r.failed} failed, ${r.missing} without a status`,
            );
        }
      }
    }
    const all: Figure[] = [
      ...quoteFigures.flatMap((f) => [f.rate.figure, f.perCpu.figure, f.p50.figure, f.p99.figure]),
      ...swapFigures.flatMap((f) => [f.landed.figure, f.perCpu.figure, f.p50.figure, f.p99.figure]),
    ];
    printSideBySide(
      `sandbox-swap bench: ${SECONDS} s per run, ${ROUNDS} rounds, slot ${SLOT_MS} ms, ${targets[0]?.mints.length} pools in rotation, \`osprey sandbox\` per checkout`,
      checkouts,
      all,
    );
    if (problems.length > 0) process.stdout.write(`\n${problems.join("\n")}\n`);
  },
);
