/**
 * Sandbox RPC benchmark over JSON-RPC only: SOL transfers landed per second (from the first send
 * until every transfer's status is visible) and getAccountInfo latency, no faults injected.
 * `osprey sandbox` runs as a child process from each checkout (with its demo market, whose bots
 * stay idle here: nobody trades the risky tokens), so `--before DIR` measures an older checkout
 * in the same run: both sandboxes run throughout and take turns, 500 transfers at a time.
 * Run: npx tsx bench/sandbox-rpc.ts [--before DIR] [--root DIR] [--transfers 4000]
 *      [--concurrency 16] [--rounds 3]      (or the old positional form: [transfers] [concurrency])
 */
import { parseArgs } from "node:util";
import { generateKeyPairSigner, type KeyPairSigner } from "@solana/kit";
import { signTransfer } from "../test/sandbox/rpc-helpers.js";
import {
  type CheckoutSandbox,
  inTurn,
  withCheckoutSandboxes,
} from "./support/checkout-sandboxes.js";
import {
  createJsonRpcClient,
  fundByAirdrop,
  getLatestBlockhash,
  waitForStatuses,
} from "./support/json-rpc-client.js";
import { createFigure, printSideBySide } from "./support/side-by-side.js";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    before: { type: "string" },
    root: { type: "string" },
    transfers: { type: "string" },
    concurrency: { type: "string" },
    rounds: { type: "string", default: "3" },
  },
});
const TRANSFERS = Number(values.transfers ?? positionals[0] ?? 4000);
const CONCURRENCY = Number(values.concurrency ?? positionals[1] ?? 16);
const ROUNDS = Number(values.rounds);
const PAYERS = 32;
const WARMUP = 500;
/** Transfers per run; the checkouts take turns run by run. */
const CHUNK = 500;
const READS = 5000;
const SLOT_MS = 400;

type Signed = { wire: string; signature: string };

async function signTransfers(payers: readonly KeyPairSigner[], blockhash: string, count: number) {
  // A fresh recipient and distinct amounts keep every transfer's signature unique.
  const recipient = await generateKeyPairSigner();
  const signed: Signed[] = [];
  for (let i = 0; i < count; i++) {
    const payer = payers[i % payers.length] as KeyPairSigner;
    signed.push(await signTransfer(payer, recipient.address, 1_000_000n + BigInt(i), blockhash));
  }
  return signed;
}

/** Sends `signed` over CONCURRENCY connections, then waits until every status is visible. */
async function sendAndLand(checkout: CheckoutSandbox, signed: Signed[], skipPreflight: boolean) {
  const url = checkout.sandbox.rpc[0] as string;
  const client = createJsonRpcClient(url, CONCURRENCY);
  const config = skipPreflight
    ? { encoding: "base64", skipPreflight }
    : { encoding: "base64", preflightCommitment: "processed" };
  let next = 0;
  const worker = async () => {
    while (next < signed.length) {
      const tx = signed[next++] as Signed;
      await client.call("sendTransaction", [tx.wire, config]);
    }
  };
  const cpuStart = checkout.cpuSeconds();
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const sent = (performance.now() - started) / 1000;
  const outcome = await waitForStatuses(
    client,
    signed.map((s) => s.signature),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = checkout.cpuSeconds() - cpuStart;
  client.close();
  return { ...outcome, sent, seconds, cpu };
}

async function measureReads(checkout: CheckoutSandbox, address: string) {
  const client = createJsonRpcClient(checkout.sandbox.rpc[0] as string);
  const latencies: number[] = [];
  for (let i = 0; i < READS + 500; i++) {
    const started = performance.now();
    await client.call("getAccountInfo", [address, { encoding: "base64" }]);
    if (i >= 500) latencies.push(performance.now() - started);
  }
  client.close();
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] as number;
  return { p50: at(0.5), p99: at(0.99) };
}

const modes = [
  { skipPreflight: false, name: "with preflight" },
  { skipPreflight: true, name: "skipPreflight" },
];
const figures = modes.map(({ name }) => ({
  landed: createFigure(`transfers ${name}: landed/s (until every status is visible)`, " tx/s"),
  accepted: createFigure(`transfers ${name}: sendTransaction answered/s`, " tx/s"),
  perCpu: createFigure(`transfers ${name}: landed per sandbox CPU-second`, " tx"),
}));
const p50 = createFigure(`getAccountInfo p50 (base64, ${READS} sequential, keep-alive)`, " ms", 3);
const p99 = createFigure(`getAccountInfo p99`, " ms", 3);
let shortfall = "";

await withCheckoutSandboxes(
  { before: values.before, root: values.root, args: ["--slot-ms", String(SLOT_MS)] },
  async (checkouts) => {
    const payers = await Promise.all(Array.from({ length: PAYERS }, () => generateKeyPairSigner()));
    for (const checkout of checkouts) {
      const client = createJsonRpcClient(checkout.sandbox.rpc[0] as string);
      await fundByAirdrop(
        client,
        payers.map((p) => p.address),
        1_000_000_000_000n,
      );
      // Warm the JIT on both sides before measuring.
      for (const { skipPreflight } of modes) {
        const signed = await signTransfers(payers, await getLatestBlockhash(client), WARMUP);
        await sendAndLand(checkout, signed, skipPreflight);
      }
      client.close();
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, { skipPreflight, name }] of modes.entries()) {
        const signed = new Map<CheckoutSandbox, Signed[]>();
        for (const checkout of checkouts) {
          const client = createJsonRpcClient(checkout.sandbox.rpc[0] as string);
          signed.set(
            checkout,
            await signTransfers(payers, await getLatestBlockhash(client), TRANSFERS),
          );
          client.close();
        }
        // Short runs taken in turn, so a burst of load on the machine falls on both checkouts.
        const totals = new Map(
          checkouts.map((c) => [c, { landed: 0, sent: 0, seconds: 0, cpu: 0 }]),
        );
        for (let chunk = 0; chunk * CHUNK < TRANSFERS; chunk++) {
          for (const checkout of inTurn(checkouts, round + chunk)) {
            const batch = (signed.get(checkout) ?? []).slice(chunk * CHUNK, (chunk + 1) * CHUNK);
            const run = await sendAndLand(checkout, batch, skipPreflight);
            const total = totals.get(checkout);
            if (!total) continue;
            total.landed += run.landed;
            total.sent += run.sent;
            total.seconds += run.seconds;
            total.cpu += run.cpu;
            if (run.landed !== batch.length)
              shortfall += `\n${checkout.label} round ${round + 1} ${name}: ${run.landed} landed, ${run.failed} failed, ${run.missing} without a status of ${batch.length}`;
          }
        }
        const figure = figures[i] as (typeof figures)[number];
        for (const [checkout, run] of totals) {
          figure.landed.add(checkout.label, run.landed / run.seconds);
          figure.accepted.add(checkout.label, TRANSFERS / run.sent);
          figure.perCpu.add(checkout.label, run.landed / run.cpu);
          process.stderr.write(
            `round ${round + 1} ${checkout.label} ${name}: ${run.landed}/${TRANSFERS} landed in ${run.seconds.toFixed(2)} s (sent in ${run.sent.toFixed(2)} s), sandbox CPU ${run.cpu.toFixed(2)} s\n`,
          );
        }
      }
      for (const checkout of inTurn(checkouts, round)) {
        const reads = await measureReads(checkout, payers[0]?.address as string);
        p50.add(checkout.label, reads.p50);
        p99.add(checkout.label, reads.p99);
      }
    }
    printSideBySide(
      `sandbox-rpc bench: ${TRANSFERS} SOL transfers per round and mode (runs of ${CHUNK}, checkouts in turn) from ${PAYERS} payers, concurrency ${CONCURRENCY}, ${ROUNDS} rounds, slot ${SLOT_MS} ms, \`osprey sandbox\` (demo market on) per checkout`,
      checkouts,
      [
        ...figures.flatMap((f) => [f.landed.figure, f.accepted.figure, f.perCpu.figure]),
        p50.figure,
        p99.figure,
      ],
    );
    if (shortfall) process.stdout.write(`\nnot every transfer landed:${shortfall}\n`);
  },
);
