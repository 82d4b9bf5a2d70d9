/**
 * Sandbox RPC benchmark: SOL transfers landed per second through JSON-RPC, and getAccountInfo
 * latency, with no faults injected. Run: npx tsx bench/sandbox-rpc.ts [transfers] [concurrency]
 */
import { availableParallelism, loadavg } from "node:os";
import { generateKeyPairSigner, type KeyPairSigner } from "@solana/kit";
import { startSandbox } from "../src/sandbox/index.js";
import { createKeepAlivePoster, signTransfer } from "../test/sandbox/rpc-helpers.js";

const TRANSFERS = Number(process.argv[2] ?? 4000);
const CONCURRENCY = Number(process.argv[3] ?? 16);
const PAYERS = 32;
const READS = 5000;

/** JSON-RPC calls over `sockets` keep-alive connections. */
function createPoster(url: string, sockets: number) {
  const { post, close } = createKeepAlivePoster(url, sockets);
  const call = async (method: string, params: unknown[]) => {
    const { text } = await post(JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }));
    return JSON.parse(text) as { result?: unknown; error?: unknown };
  };
  return { call, close };
}

async function signTransfers(payers: KeyPairSigner[], recentBlockhash: string, count: number) {
  const recipient = await generateKeyPairSigner();
  const signed: { wire: string; signature: string }[] = [];
  for (let i = 0; i < count; i++) {
    const payer = payers[i % payers.length] as KeyPairSigner;
    // Distinct amounts keep every transfer's signature unique.
    signed.push(
      await signTransfer(payer, recipient.address, 1_000_000n + BigInt(i), recentBlockhash),
    );
  }
  return signed;
}

async function benchTransfers(
  url: string,
  signed: { wire: string; signature: string }[],
  skipPreflight: boolean,
) {
  const client = createPoster(url, CONCURRENCY);
  let next = 0;
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const worker = async () => {
    while (next < signed.length) {
      const tx = signed[next++] as { wire: string };
      const config = skipPreflight
        ? { encoding: "base64", skipPreflight }
        : { encoding: "base64", preflightCommitment: "processed" };
      const answer = await client.call("sendTransaction", [tx.wire, config]);
      if (answer.error) throw new Error(JSON.stringify(answer.error));
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  let landed = 0;
  for (let i = 0; i < signed.length; i += 256) {
    const batch = signed.slice(i, i + 256).map((s) => s.signature);
    const answer = (await client.call("getSignatureStatuses", [batch])) as {
      result: { value: ({ err: unknown } | null)[] };
    };
    landed += answer.result.value.filter((s) => s !== null && s.err === null).length;
  }
  client.close();
  return { landed, seconds, perSecond: landed / seconds, perCpuSecond: landed / cpuSeconds };
}

async function benchReads(url: string, address: string) {
  const client = createPoster(url, 1);
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

const sandbox = await startSandbox({ port: 0, slotMs: 400 });
const url = sandbox.rpcUrls[0] as string;
const payers = await Promise.all(Array.from({ length: PAYERS }, () => generateKeyPairSigner()));
for (const payer of payers) sandbox.chain.airdrop(payer.address, 1_000_000_000_000n);

const results: string[] = [];
const latestBlockhash = () => sandbox.chain.getBlock(sandbox.chain.getSlot("processed")).blockhash;
// Warm the JIT on both sides before measuring.
await benchTransfers(url, await signTransfers(payers, latestBlockhash(), 500), false);
for (const skipPreflight of [false, true]) {
  const signed = await signTransfers(payers, latestBlockhash(), TRANSFERS);
  const { landed, seconds, perSecond, perCpuSecond } = await benchTransfers(
    url,
    signed,
    skipPreflight,
  );
  results.push(
    `SOL transfers (${skipPreflight ? "skipPreflight" : "with preflight"}): ${landed}/${signed.length} landed in ${seconds.toFixed(2)} s = ${perSecond.toFixed(0)} tx/s wall (${perCpuSecond.toFixed(0)} per CPU-second of this process, client included; concurrency ${CONCURRENCY})`,
  );
}
results.push(
  `load average during run: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")} on ${availableParallelism()} cores`,
);
const reads = await benchReads(url, payers[0]?.address as string);
results.push(
  `getAccountInfo (base64, ${READS} sequential calls, keep-alive): p50 ${reads.p50.toFixed(3)} ms, p99 ${reads.p99.toFixed(3)} ms`,
);
await sandbox.close();
for (const line of results) console.log(line);
