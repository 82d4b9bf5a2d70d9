/**
 * Landing under faults: 3 sandbox endpoints, 400 ms slots, the sandbox's block engine and sender.
 *
 * Scenario 1, drops (each endpoint drops 30% of sends and adds 50 ms per request). The same
 * stream of transfers is landed by:
 * - Osprey's lander (src/chain) rebroadcasting every 2000 ms (before issue 19) and every 400 ms
 *   (LANDER_REBROADCAST_MS's default, about a slot), public RPC endpoints only, status rounds
 *   every 100 ms (LANDER_POLL_MS's default, as the server runs);
 * - the seed spec's loop (seed/000…txt, executeSwap → sendTransactionWithRetry), transcribed:
 *   pick a connection from the spec's pool, sendRawTransaction(skipPreflight false, maxRetries 0),
 *   confirmTransaction(signature, "confirmed") with the spec's 10 s timeout, and on any error
 *   sleep 2^attempt s (unscaled) and re-send the same signed bytes, 3 attempts in all.
 *   web3.js confirms through a signature subscription; this transcription polls the same
 *   endpoint every 400 ms (one slot) instead.
 *
 * Scenario 2, congestion (the sandbox's `congestion` preset on every public endpoint: 70% of sends
 * dropped, the rest reach the chain 800 ms late). Transfers landed public-only (RPC endpoints, no
 * private route) against protected (a tip from `chain.tips.resolve()` paid inside the transaction,
 * sent only to the block engine and the sender): landed share, p50/p99 request → confirmed, tips.
 *
 * Run: npx tsx bench/landing.ts [count=100]
 */
import {
  appendTransactionMessageInstruction,
  type Base64EncodedWireTransaction,
  createSolanaRpc,
  createTransactionMessage,
  generateKeyPairSigner,
  getBase64EncodedWireTransaction,
  type KeyPairSigner,
  pipe,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
} from "@solana/kit";
import { getTransferSolInstruction } from "@solana-program/system";
import {
  type CachedBlockhash,
  type ChainClientOptions,
  createChainClient,
  getWireSignature,
  type LandingRoutePolicy,
  type ResolvedTip,
} from "../src/chain/index.js";
import { systemClock } from "../src/core/index.js";
import { FAULT_PRESETS, startSandbox } from "../src/sandbox/index.js";

const COUNT = Number(process.argv[2] ?? 100);
const SUBMIT_EVERY_MS = 100; // a stream of trades, not one burst
const FAULTS = { dropSendRate: 0.3, latencyMs: 50 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Result {
  readonly landed: boolean;
  readonly ms: number;
}

const sandbox = await startSandbox({ endpoints: 3, slotMs: 400, faults: [FAULTS, FAULTS, FAULTS] });
const onChain = (signature: string) => sandbox.chain.getTransaction(signature) !== undefined;
const privateRoutes = {
  jito: [sandbox.blockEngineUrl as string],
  sender: [sandbox.senderUrl as string],
};

try {
  const before = await runOsprey({ lander: { rebroadcastMs: 2_000 } });
  const after = await runOsprey({ lander: { rebroadcastMs: 400 } });
  const seed = await runSeedLoop();
  process.stdout.write(
    `landing ${COUNT} transfers: 3 endpoints, ${FAULTS.dropSendRate * 100}% sends dropped, +${FAULTS.latencyMs} ms, 400 ms slots\n`,
  );
  report("osprey, 2000 ms", before.results, before.onChain);
  report("osprey, 400 ms", after.results, after.onChain);
  report("seed retry loop", seed.results, seed.onChain);

  const congestion = FAULT_PRESETS.congestion;
  for (const index of [0, 1, 2]) await sandbox.setFaults(index, { ...congestion, latencyMs: 0 });
  const publicOnly = await runOsprey({ lander: { rebroadcastMs: 400 } });
  const protectedRun = await runOsprey(
    { lander: { rebroadcastMs: 400 }, privateRoutes },
    "protected",
  );
  process.stdout.write(
    `\ncongestion, ${COUNT} transfers: 3 endpoints, ${congestion.dropSendRate * 100}% of public sends dropped, the rest +${congestion.sendDelayMs} ms to the chain; private routes: sandbox block engine + sender\n`,
  );
  report("public only", publicOnly.results, publicOnly.onChain);
  report("protected", protectedRun.results, protectedRun.onChain);
  reportTips(protectedRun.tips, protectedRun.results);
} finally {
  await sandbox.close();
}

async function runOsprey(
  options: Pick<ChainClientOptions, "lander" | "privateRoutes">,
  route: LandingRoutePolicy = "public",
) {
  const client = createChainClient({
    endpoints: sandbox.rpcUrls.join(","),
    clock: systemClock,
    random: Math.random,
    ...options,
    // The server's defaults: status rounds every LANDER_POLL_MS (100 ms), as src/app.ts wires.
    lander: { pollIntervalMs: 100, ...options.lander },
    tips: { floorUrl: `${sandbox.blockEngineUrl}/api/v1/bundles/tip_floor` },
  });
  await client.start();
  const tips =
    route === "protected"
      ? await Promise.all(Array.from({ length: COUNT }, () => client.tips.resolve()))
      : undefined;
  const txs = await signTransfers(await client.blockhashes.get(), tips);
  const results = await stream(txs, async (transaction, lastValidBlockHeight) => {
    const outcome = await client.lander.land({ transaction, lastValidBlockHeight, route });
    return outcome.kind === "confirmed";
  });
  client.close();
  return {
    results,
    tips,
    onChain: txs.filter((tx) => onChain(getWireSignature(tx.wire))).length,
  };
}

async function runSeedLoop() {
  const pool = createSeedPool(sandbox.rpcUrls);
  const { value } = await createSolanaRpc(sandbox.rpcUrls[0] as string)
    .getLatestBlockhash({ commitment: "confirmed" })
    .send();
  const txs = await signTransfers({ ...value, fetchedAt: Date.now() });
  const results = await stream(txs, (transaction) => sendTransactionWithRetry(pool, transaction));
  // Give copies the loop gave up on a last chance to show up on chain.
  await sleep(2_000);
  return { results, onChain: txs.filter((tx) => onChain(getWireSignature(tx.wire))).length };
}

/** The spec's sendTransactionWithRetry, semantics kept (see the header). */
async function sendTransactionWithRetry(pool: SeedPool, transaction: string, maxRetries = 3) {
  for (let attempt = 0; attempt < maxRetries; attempt++) {
    const conn = pool.getConnection();
    try {
      const signature = await conn.rpc
        .sendTransaction(transaction as Base64EncodedWireTransaction, {
          encoding: "base64",
          skipPreflight: false,
          preflightCommitment: "confirmed",
          maxRetries: 0n,
        })
        .send();
      const err = await confirmTransaction(conn, signature, 10_000);
      if (err !== null) return false; // TX_FAILED
      pool.recordSuccess(conn.url);
      return true;
    } catch {
      pool.recordFailure(conn.url);
      if (attempt < maxRetries - 1) await sleep(2 ** attempt * 1000);
    }
  }
  return false; // TX_SEND_FAILED
}

/** confirmTransaction(signature, "confirmed"): resolves with the tx error, throws on timeout. */
async function confirmTransaction(conn: SeedConnection, signature: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { value } = await conn.rpc
      .getSignatureStatuses([signature as Parameters<typeof conn.rpc.getSignatureStatuses>[0][0]])
      .send();
    const status = value[0];
    if (
      status &&
      (status.confirmationStatus === "confirmed" || status.confirmationStatus === "finalized")
    ) {
      return status.err;
    }
    await sleep(400);
  }
  throw new Error("TransactionExpiredTimeoutError");
}

interface SeedConnection {
  readonly url: string;
  readonly rpc: ReturnType<typeof createSolanaRpc>;
}
type SeedPool = ReturnType<typeof createSeedPool>;

/** The spec's RpcConnectionPool, transcribed with its defects (no decay, open→half-open lets all in). */
function createSeedPool(urls: readonly string[]) {
  const connections = urls.map((url) => ({ url, rpc: createSolanaRpc(url) }));
  const circuits = new Map(
    urls.map((url) => [url, { failures: 0, lastFailure: 0, state: "closed" }]),
  );
  const select = () =>
    connections[Math.floor(Math.random() * connections.length)] as SeedConnection;
  return {
    getConnection(): SeedConnection {
      for (let attempt = 0; attempt < connections.length; attempt++) {
        const conn = select();
        const circuit = circuits.get(conn.url);
        if (circuit?.state === "open") {
          if (Date.now() - circuit.lastFailure > 30_000) circuit.state = "half-open";
          else continue;
        }
        return conn;
      }
      throw new Error("All RPC endpoints unavailable");
    },
    recordFailure(url: string) {
      const circuit = circuits.get(url);
      if (!circuit) return;
      circuit.failures++;
      circuit.lastFailure = Date.now();
      if (circuit.failures >= 5) circuit.state = "open";
    },
    recordSuccess(url: string) {
      const circuit = circuits.get(url);
      if (circuit?.state === "half-open") Object.assign(circuit, { state: "closed", failures: 0 });
    },
  };
}

interface SignedTransfer {
  readonly wire: string;
  readonly lastValidBlockHeight: bigint;
}

async function signTransfers(
  blockhash: CachedBlockhash,
  tips?: readonly ResolvedTip[],
): Promise<SignedTransfer[]> {
  const payer: KeyPairSigner = await generateKeyPairSigner();
  sandbox.chain.airdrop(payer.address, 1_000_000_000_000n);
  const recipient = (await generateKeyPairSigner()).address;
  return Promise.all(
    Array.from({ length: COUNT }, async (_, i) => {
      const message = pipe(
        createTransactionMessage({ version: 0 }),
        (m) => setTransactionMessageFeePayerSigner(payer, m),
        (m) => setTransactionMessageLifetimeUsingBlockhash(blockhash, m),
        (m) =>
          appendTransactionMessageInstruction(
            getTransferSolInstruction({
              source: payer,
              destination: recipient,
              amount: 1_000_000n + BigInt(i),
            }),
            m,
          ),
        // A protected transaction pays its tip inside itself, as Jito requires.
        (m) => {
          const tip = tips?.[i];
          if (tip === undefined) return m;
          return appendTransactionMessageInstruction(
            getTransferSolInstruction({
              source: payer,
              destination: tip.account,
              amount: tip.lamports,
            }),
            m,
          );
        },
      );
      const wire = getBase64EncodedWireTransaction(
        await signTransactionMessageWithSigners(message),
      );
      return { wire, lastValidBlockHeight: blockhash.lastValidBlockHeight };
    }),
  );
}

/** Starts one landing every SUBMIT_EVERY_MS and times each from its own start. */
async function stream(
  txs: readonly SignedTransfer[],
  land: (wire: string, lastValidBlockHeight: bigint) => Promise<boolean>,
): Promise<Result[]> {
  return Promise.all(
    txs.map(async (tx, i) => {
      await sleep(i * SUBMIT_EVERY_MS);
      const started = performance.now();
      const landed = await land(tx.wire, tx.lastValidBlockHeight).catch(() => false);
      return { landed, ms: performance.now() - started };
    }),
  );
}

function report(name: string, results: readonly Result[], onChainCount: number): void {
  const times = results
    .filter((r) => r.landed)
    .map((r) => r.ms)
    .sort((a, b) => a - b);
  const pct = (p: number) => {
    const value = times[Math.max(0, Math.ceil((p / 100) * times.length) - 1)];
    return value === undefined ? "-" : `${(value / 1000).toFixed(2)} s`;
  };
  const share = ((times.length / results.length) * 100).toFixed(1);
  process.stdout.write(
    `${name.padEnd(16)} confirmed ${times.length}/${results.length} (${share}%)  p50 ${pct(50)}  p99 ${pct(99)}  on chain ${onChainCount}/${results.length}\n`,
  );
}

function reportTips(tips: readonly ResolvedTip[] | undefined, results: readonly Result[]): void {
  if (tips === undefined) return;
  const paid = tips.filter((_, i) => results[i]?.landed).map((tip) => tip.lamports);
  const total = paid.reduce((sum, lamports) => sum + lamports, 0n);
  const sorted = [...paid].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0n;
  process.stdout.write(
    `tips paid        ${paid.length} landed tips, ${total} lamports in all (median ${median}, from the ${tips[0]?.source ?? "-"})\n`,
  );
}
