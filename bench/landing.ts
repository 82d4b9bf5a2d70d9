/**
 * Landing under faults: 3 sandbox endpoints, each dropping 30% of sends and adding 50 ms per
 * request, 400 ms slots. The same stream of transfers is landed twice in one run:
 *
 * - Osprey's lander (src/chain) with its production defaults;
 * - the seed spec's loop (seed/000…txt, executeSwap → sendTransactionWithRetry), transcribed:
 *   pick a connection from the spec's pool, sendRawTransaction(skipPreflight false, maxRetries 0),
 *   confirmTransaction(signature, "confirmed") with the spec's 10 s timeout, and on any error
 *   sleep 2^attempt s (unscaled) and re-send the same signed bytes, 3 attempts in all.
 *   web3.js confirms through a signature subscription; this transcription polls the same
 *   endpoint every 400 ms (one slot) instead.
 *
 * Run: npx tsx bench/landing.ts [count=50]
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
import { type CachedBlockhash, createChainClient, getWireSignature } from "../src/chain/index.js";
import { systemClock } from "../src/core/index.js";
import { startSandbox } from "../src/sandbox/index.js";

const COUNT = Number(process.argv[2] ?? 50);
const SUBMIT_EVERY_MS = 100; // a stream of trades, not one burst
const FAULTS = { dropSendRate: 0.3, latencyMs: 50 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Result {
  readonly landed: boolean;
  readonly ms: number;
}

const sandbox = await startSandbox({ endpoints: 3, slotMs: 400, faults: [FAULTS, FAULTS, FAULTS] });
const onChain = (signature: string) => sandbox.chain.getTransaction(signature) !== undefined;

try {
  const osprey = await runOsprey();
  const seed = await runSeedLoop();
  process.stdout.write(
    `landing ${COUNT} transfers: 3 endpoints, ${FAULTS.dropSendRate * 100}% sends dropped, +${FAULTS.latencyMs} ms, 400 ms slots\n`,
  );
  report("osprey lander", osprey.results, osprey.onChain);
  report("seed retry loop", seed.results, seed.onChain);
} finally {
  await sandbox.close();
}

async function runOsprey() {
  const client = createChainClient({
    endpoints: sandbox.rpcUrls.join(","),
    clock: systemClock,
    random: Math.random,
  });
  await client.start();
  const txs = await signTransfers(await client.blockhashes.get());
  const results = await stream(txs, async (transaction, lastValidBlockHeight) => {
    const outcome = await client.lander.land({ transaction, lastValidBlockHeight });
    return outcome.kind === "confirmed";
  });
  client.close();
  return { results, onChain: txs.filter((tx) => onChain(getWireSignature(tx.wire))).length };
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

async function signTransfers(blockhash: CachedBlockhash): Promise<SignedTransfer[]> {
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
