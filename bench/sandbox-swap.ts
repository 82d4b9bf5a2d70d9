/**
 * Sandbox swap API throughput through its public routes, with the official @jup-ag/api client:
 * quotes per second, then landed swaps per second (quote → swap → user signs → sendTransaction
 * over JSON-RPC), each at a few concurrencies, with p50/p99 latency.
 * Run: npx tsx bench/sandbox-swap.ts [--seconds 3]
 */
import { availableParallelism } from "node:os";
import { performance } from "node:perf_hooks";
import { Configuration, SwapApi } from "@jup-ag/api";
import {
  createSolanaRpc,
  generateKeyPairSigner,
  getBase64EncodedWireTransaction,
  getBase64Encoder,
  getTransactionDecoder,
  type KeyPairSigner,
  type Signature,
  signTransaction,
} from "@solana/kit";
import { startSandbox } from "../src/sandbox/index.js";
import { startSandboxMarket } from "../src/sandbox/market/index.js";

const SOL = "So11111111111111111111111111111111111111112";
const secondsArg = process.argv.indexOf("--seconds");
const SECONDS = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 3;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

async function run(concurrency: number, task: (worker: number) => Promise<void>) {
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (performance.now() < deadline) {
        const t = performance.now();
        try {
          await task(worker);
          latencies.push(performance.now() - t);
        } catch {
          errors += 1;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    rate: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors,
    count: latencies.length,
  };
}

const sandbox = await startSandbox({ port: 0, slotMs: 100 });
const market = await startSandboxMarket({ chain: sandbox.chain, port: 0, bots: false });
const jupiter = new SwapApi(new Configuration({ basePath: market.swapApiUrl }));
const rpc = createSolanaRpc(sandbox.rpcUrls[0] as string);
const mints = Object.values(market.mints).filter((mint) => mint !== market.mints.USDC);
const out = (text: string) => process.stdout.write(`${text}\n`);
out(
  `cpus ${availableParallelism()}, ${SECONDS}s per run, slot 100 ms, ${mints.length} pools in rotation`,
);

for (const concurrency of [1, 8, 32]) {
  const r = await run(concurrency, async (worker) => {
    await jupiter.quoteGet({
      inputMint: SOL,
      outputMint: mints[worker % mints.length] as string,
      amount: 10_000_000,
      platformFeeBps: 85,
    });
  });
  out(
    `quotes   c=${String(concurrency).padStart(2)}: ${r.rate.toFixed(0).padStart(6)}/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  errors ${r.errors}`,
  );
}

const users: KeyPairSigner[] = [];
for (let i = 0; i < 32; i++) {
  const user = await generateKeyPairSigner();
  sandbox.chain.airdrop(user.address, 1_000_000_000_000n);
  users.push(user);
}
const signatures: Signature[] = [];
for (const concurrency of [1, 8, 32]) {
  const r = await run(concurrency, async (worker) => {
    const user = users[worker] as KeyPairSigner;
    const quote = await jupiter.quoteGet({
      inputMint: SOL,
      outputMint: mints[worker % mints.length] as string,
      amount: 10_000_000,
      slippageBps: 500,
    });
    const { swapTransaction } = await jupiter.swapPost({
      swapRequest: {
        quoteResponse: quote,
        userPublicKey: user.address,
        dynamicComputeUnitLimit: true,
      },
    });
    const tx = getTransactionDecoder().decode(getBase64Encoder().encode(swapTransaction));
    const signed = await signTransaction([user.keyPair], tx);
    signatures.push(
      await rpc
        .sendTransaction(getBase64EncodedWireTransaction(signed), { encoding: "base64" })
        .send(),
    );
  });
  out(
    `swaps    c=${String(concurrency).padStart(2)}: ${r.rate.toFixed(0).padStart(6)}/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  errors ${r.errors}  (sent and landed in the sandbox's current slot)`,
  );
}

let landed = 0;
for (let i = 0; i < signatures.length; i += 200) {
  const { value } = await rpc.getSignatureStatuses(signatures.slice(i, i + 200)).send();
  landed += value.filter((status) => status && status.err === null).length;
}
out(`landed without error: ${landed}/${signatures.length}`);
await market.close();
await sandbox.close();
