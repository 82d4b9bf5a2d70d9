/**
 * Trading end to end: `osprey serve` runs as a child process against a sandbox chain and swap
 * API (`osprey sandbox`, another child), so the server's own memory and CPU can be read from /proc.
 *
 * (a) Latency, with 50 ms added to every RPC request (sandbox fault profile) and to every swap
 *     and price API request (a delaying proxy on 127.0.0.1 in front of the sandbox's API):
 *     - Osprey: POST /v1/orders; "first send" is the order's SUBMITTED event (written when the
 *       lander dispatched the first copy), "confirmed" its CONFIRMED event, both from the request.
 *     - the seed spec's TradingExecutor.executeTrade (seed/000…txt), transcribed in order:
 *       session (getKeypairFromSession: read the plaintext key) → honeypot analyze → getQuote →
 *       buildSwapTransaction → sign → sendRawTransaction (skipPreflight false, maxRetries 0) →
 *       confirmTransaction("confirmed"). web3.js confirms through a signature subscription; this
 *       polls getSignatureStatuses every 100 ms instead (finer than a 400 ms slot, so it flatters
 *       the seed if anything).
 *       The spec names HoneypotDetector.analyze but leaves out its code (HONEYPOT.md is not in
 *       it). "seed flow" runs Osprey's analyzer, fresh, with its reads awaited one at a time, the
 *       way the seed awaits everything (executeTrade, executeSwap, revokeAllSessions): the same
 *       reads and batching as Osprey's, none of them overlapped. "seed, batched analysis" gives
 *       the seed Osprey's round-trip-minimised analysis as it is (two round trips): the strictest
 *       baseline, printed beside the target's.
 *     All three run one trade at a time, interleaved, on the same chain, API and proxy.
 * (b) Throughput, no injected latency: 200 users (each its own wallet and session) buying small
 *     amounts of healthy tokens at once, each placing its next order when the last is final;
 *     confirmed trades per second, and the server's peak RSS (VmHWM, plus VmRSS sampled every
 *     100 ms). Five orders each: with two, a run lasts about 4 s, and its first and last half
 *     second (every user's first request arriving at once; the last orders waiting for their
 *     slot with the server idle) are a fifth of it.
 *
 * Osprey runs on Swap API v2 (one `/build` round trip) unless BENCH_SWAP_API=v1; the seed flows
 * keep the spec's v1 quote-then-swap. BENCH_TRACE=1 prints, per measured Osprey trade of (a), the
 * swap API and RPC requests it made before its first send (times from the request).
 *
 * Run: npx tsx bench/trade.ts [latencyTrades=20] [users=200] [ordersPerUser=5]
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { KeyObject, sign } from "node:crypto";
import { once } from "node:events";
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { Agent, createServer, type IncomingMessage, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  address,
  type Base64EncodedWireTransaction,
  createKeyPairSignerFromPrivateKeyBytes,
  createSolanaRpc,
  generateKeyPairSigner,
  type Signature,
  type SignatureBytes,
} from "@solana/kit";
import { createChainClient } from "../src/chain/index.js";
import { address as ospreyAddress, systemClock } from "../src/core/index.js";
import { createTokenAnalyzer, MAINNET_ALLOW_LIST } from "../src/safety/index.js";
import { createSwapClient } from "../src/swap/index.js";
import { signSwap } from "../src/trading/sign-swap.js";
import { ARGON2_FLOOR_ENV } from "../test/support/argon2-floor.js";

const LATENCY_TRADES = Number(process.argv[2] ?? 20);
const USERS = Number(process.argv[3] ?? 200);
const ORDERS_PER_USER = Number(process.argv[4] ?? 5);
const LATENCY_MS = 50;
const SLOT_MS = 400;
const SOL_MINT = address("So11111111111111111111111111111111111111112");
const BIN = fileURLToPath(new URL("../bin/osprey.js", import.meta.url));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
type Json = Record<string, unknown>;

// ---------- the chain, the swap API, and a proxy that delays the API ----------

// The sandbox runs in its own process, so the server and the chain do not share this event loop.
// The sandbox opens the operator's fee wallet and its wrapped-SOL fee account.
const feeWallet = (await generateKeyPairSigner()).address;
const sandboxChild = await spawnOsprey([
  "sandbox",
  "--port",
  "0",
  "--slot-ms",
  String(SLOT_MS),
  "--fee-wallet",
  feeWallet,
  "--json",
]);
const sandbox = sandboxChild.ready as {
  rpc: string[];
  admin: string;
  swapApi: string;
  priceApi: string;
  mints: Record<string, string>;
};
const admin = async (action: string, body: Json) => {
  const response = await fetch(`${sandbox.admin}/${action}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (response.status !== 200) throw new Error(`admin ${action}: ${await response.text()}`);
};
const airdrop = (to: string, lamports: bigint) =>
  admin("airdrop", { address: to, lamports: lamports.toString() });
await admin("faults", { endpoint: 0, profile: { latencyMs: LATENCY_MS } });
let proxyDelayMs = LATENCY_MS;
let userCount = 0;
const stages = new Map<string, number[]>();
const outcomes = new Map<string, number>();
const count = (outcome: string) => outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
const proxy = await startDelayingProxy(new URL(sandbox.swapApi).origin, () => proxyDelayMs);
// BENCH_TRACE=1: where Osprey's time to first send goes. Every swap/price API request through the
// proxy, and every RPC request (through a pass-through proxy of no delay in front of the first
// endpoint, during (a) only), is printed per measured trade, relative to the order request.
const TRACE = process.env.BENCH_TRACE === "1";
const traceLog: { start: number; end: number; what: string }[] = [];
const rpcTrace = TRACE
  ? await startDelayingProxy(new URL(sandbox.rpc[0] ?? "").origin, () => 0)
  : null;
const dataDir = mkdtempSync(join(tmpdir(), "osprey-bench-trade-"));
const serverEnv = {
  SOLANA_RPC_URLS: sandbox.rpc.join(","),
  FEE_WALLET: feeWallet,
  DATA_DIR: dataDir,
  LOG_LEVEL: "warn",
  ...ARGON2_FLOOR_ENV,
};
// Osprey on the swap API its configuration chooses (BENCH_SWAP_API, default v2: one `/build`
// round trip); the seed baselines below keep their v1 flow (quote, then swap).
const OSPREY_SWAP_API = process.env.BENCH_SWAP_API === "v1" ? "v1" : "v2";
const swapApiEnv = (base: string) => ({
  JUPITER_SWAP_API: OSPREY_SWAP_API,
  JUPITER_API_URL: `${base}/swap/v1`,
  JUPITER_SWAP_V2_URL: `${base}/swap/v2`,
});
let server = await spawnOsprey(["serve", "--port", "0", "--json"], {
  ...serverEnv,
  ...(rpcTrace ? { SOLANA_RPC_URLS: rpcTrace.url } : {}),
  ...swapApiEnv(proxy.url),
  JUPITER_PRICE_URL: `${proxy.url}/price/v3`,
});
let memory = sampleMemory(server.child.pid ?? 0);
const tokens = [sandbox.mints.BONKY, sandbox.mints.GLIDE].map((m) => address(String(m)));

try {
  const latency = await runLatency();
  proxyDelayMs = 0;
  await admin("faults", { endpoint: 0, profile: { latencyMs: 0 } });
  // A fresh server straight on the swap API (no proxy hop): only (b)'s load in its memory.
  memory.stop();
  await stop(server);
  server = await spawnOsprey(["serve", "--port", "0", "--json"], {
    ...serverEnv,
    ...swapApiEnv(new URL(sandbox.swapApi).origin),
    JUPITER_PRICE_URL: sandbox.priceApi,
  });
  memory = sampleMemory(server.child.pid ?? 0);
  const cpuNow = () => [
    cpuSeconds(server.child.pid),
    cpuSeconds(sandboxChild.child.pid),
    cpuSeconds(process.pid),
  ];
  let cpuBefore: number[] = [];
  const throughput = await runThroughput(() => {
    cpuBefore = cpuNow();
  });
  const cpu = cpuNow().map((after, i) => after - (cpuBefore[i] ?? 0));
  const peak = memory.stop();
  const load = loadavg().map((l) => l.toFixed(2));
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`trade bench, ${new Date().toISOString()}, load average ${load.join(" ")}`);
  out(
    `(a) +${LATENCY_MS} ms on every RPC and swap/price API request, ${SLOT_MS} ms slots, ${LATENCY_TRADES} buys each; Osprey on Swap API ${OSPREY_SWAP_API}, the seed flows on v1`,
  );
  for (const [name, times] of [
    ["osprey", latency.osprey],
    ["seed flow", latency.seed],
    ["seed, batched analysis", latency.seedBatched],
  ] as const) {
    out(
      `  ${name.padEnd(22)} first send p50 ${ms(pct(times.firstSend, 50))} p99 ${ms(pct(times.firstSend, 99))}   confirmed p50 ${ms(pct(times.confirmed, 50))} p99 ${ms(pct(times.confirmed, 99))}   (${times.firstSend.length} ok)`,
    );
  }
  const ratios = (baseline: Timings) => {
    const ratio = (key: "firstSend" | "confirmed", p: number) =>
      (pct(latency.osprey[key], p) / pct(baseline[key], p)).toFixed(2);
    return `first send p50 ${ratio("firstSend", 50)} p99 ${ratio("firstSend", 99)}; confirmed p50 ${ratio("confirmed", 50)} p99 ${ratio("confirmed", 99)}`;
  };
  out(`  osprey/seed flow: ${ratios(latency.seed)}  (target first send ≤ 0.50)`);
  out(`  osprey/seed with batched analysis: ${ratios(latency.seedBatched)}`);
  out(
    `(b) no injected latency, ${USERS} users × ${ORDERS_PER_USER} buys at once: ${throughput.confirmed}/${throughput.total} confirmed in ${(throughput.ms / 1000).toFixed(1)} s = ${throughput.perSecond.toFixed(1)} trades/s (target ≥ 100)`,
  );
  for (const [outcome, n] of outcomes) out(`  not confirmed: ${n} × ${outcome}`);
  const { first, last, middle } = throughput.shape;
  out(
    `  first confirmation at ${(first / 1000).toFixed(2)} s, last at ${(last / 1000).toFixed(2)} s; between the 10th and 90th percentile confirmations ${middle.toFixed(1)} trades/s`,
  );
  out(
    `  p50 time from order creation: ${[...stages].map(([status, t]) => `${status} ${ms(pct(t, 50))}`).join(", ")}`,
  );
  out(
    `  CPU while trading: server ${cpu[0]?.toFixed(1)} s, sandbox (chain + swap API) ${cpu[1]?.toFixed(1)} s, this bench's ${USERS} clients ${cpu[2]?.toFixed(1)} s, over ${(throughput.ms / 1000).toFixed(1)} s of trading (2 cores)`,
  );
  out(
    `  server peak RSS ${peak.hwmMiB.toFixed(0)} MiB (VmHWM; sampled max ${peak.sampledMiB.toFixed(0)} MiB); setup of ${USERS} users ${(throughput.setupMs / 1000).toFixed(1)} s`,
  );
} finally {
  memory.stop();
  await stop(server);
  await stop(sandboxChild);
  proxy.server.close();
  rpcTrace?.server.close();
  rmSync(dataDir, { recursive: true, force: true });
}

// ---------- (a) latency ----------

interface Timings {
  readonly firstSend: number[];
  readonly confirmed: number[];
}

type Flow = "osprey" | "seed" | "seedBatched";
type Timed = { firstSend: number; confirmed: number } | undefined;

async function runLatency(): Promise<Record<Flow, Timings>> {
  const [user] = await createUsers(1);
  if (!user) throw new Error("no user");
  const seed = await createSeedExecutor("one at a time");
  const seedBatched = await createSeedExecutor("batched");
  const times: Record<Flow, Timings> = {
    osprey: { firstSend: [], confirmed: [] },
    seed: { firstSend: [], confirmed: [] },
    seedBatched: { firstSend: [], confirmed: [] },
  };
  const record = (flow: Flow, timed: Timed) => {
    if (!timed) return;
    times[flow].firstSend.push(timed.firstSend);
    times[flow].confirmed.push(timed.confirmed);
  };
  // One unmeasured trade of each token in each flow: connections, JIT, token accounts, and
  // Osprey's per-route priority-fee estimate and holder facts (a token's first buy reads both).
  for (let i = -tokens.length; i < LATENCY_TRADES; i++) {
    const mint = tokens[(i + tokens.length) % tokens.length] as (typeof tokens)[number];
    const lamports = 10_000_000n + BigInt(i + tokens.length);
    // A random pause before each trade, so no flow keeps landing at the same point of a slot.
    const pause = () => sleep(Math.random() * SLOT_MS);
    const a = await pause().then(() => ospreyTrade(user, mint, lamports, `lat-${i}`));
    const b = await pause().then(() => seed.executeTrade(mint, lamports));
    const c = await pause().then(() => seedBatched.executeTrade(mint, lamports));
    if (i < 0) continue;
    record("osprey", a);
    record("seed", b);
    record("seedBatched", c);
  }
  return times;
}

/** Runs the calls it is given one after another, each starting when the last has settled. */
function oneAtATime() {
  let last: Promise<unknown> = Promise.resolve();
  return <T>(call: () => Promise<T>): Promise<T> => {
    const next = last.then(call, call);
    last = next.catch(() => undefined);
    return next;
  };
}

/** One buy through the API; times read from the order's events, relative to the request. */
async function ospreyTrade(user: User, mint: string, lamports: bigint, key: string) {
  const started = Date.now();
  const placed = await user.order({ side: "buy", mint, amountLamports: lamports.toString() }, key);
  if (placed.status !== 202) throw new Error(`order refused: ${JSON.stringify(placed.body)}`);
  const order = await user.settle(String(placed.body.id), placed.body);
  if (order.status !== "CONFIRMED") return undefined;
  const at = (status: string) => {
    const event = (order.events as { status: string; at: string }[]).find(
      (e) => e.status === status,
    );
    return event ? Date.parse(event.at) - started : Number.NaN;
  };
  if (TRACE) {
    const submitted = at("SUBMITTED");
    const lines = traceLog
      .filter((t) => t.start >= started && t.start - started <= submitted)
      .map((t) => `${t.what} ${t.start - started}..${t.end - started}`);
    const events = (order.events as { status: string; at: string }[])
      .map((e) => `${e.status} ${Date.parse(e.at) - started}`)
      .join(", ");
    process.stderr.write(`trace ${key}: ${lines.join("; ")} | ${events}\n`);
  }
  return { firstSend: at("SUBMITTED"), confirmed: at("CONFIRMED") };
}

/**
 * The seed's TradingExecutor + JupiterService + KeyManager, on the same chain and API. Its
 * analysis makes Osprey's reads, either awaited one at a time (the seed's style) or batched.
 */
async function createSeedExecutor(analysisReads: "one at a time" | "batched") {
  const secret = crypto.getRandomValues(new Uint8Array(32));
  const keypair = await createKeyPairSignerFromPrivateKeyBytes(secret);
  await airdrop(keypair.address, 100_000_000_000n);
  // The seed keeps the plaintext secret key in its session store (one of its defects).
  const redis = new Map<string, string>();
  const sessionToken = "seed-session";
  redis.set(
    `session:${sessionToken}`,
    JSON.stringify({
      privateKey: Buffer.from(secret).toString("base64"),
      expiresAt: Date.now() + 3_600_000,
    }),
  );
  const chain = createChainClient({
    endpoints: sandbox.rpc.join(","),
    clock: systemClock,
    random: Math.random,
  });
  const swapClient = createSwapClient({ baseUrl: `${proxy.url}/swap/v1`, quoteCacheTtlMs: 2_000 });
  const queue = oneAtATime();
  const sequential = analysisReads === "one at a time";
  const analysisRpc = !sequential
    ? chain.rpc
    : new Proxy(chain.rpc, {
        get(target, method) {
          const make = Reflect.get(target, method) as (...args: unknown[]) => {
            send(options?: unknown): Promise<unknown>;
          };
          return (...args: unknown[]) => {
            const pending = make(...args);
            return { send: (options?: unknown) => queue(() => pending.send(options)) };
          };
        },
      });
  const analysisSwapClient = !sequential
    ? swapClient
    : {
        ...swapClient,
        getQuote: (...args: Parameters<typeof swapClient.getQuote>) =>
          queue(() => swapClient.getQuote(...args)),
      };
  const honeypot = createTokenAnalyzer({
    rpc: analysisRpc,
    swapClient: analysisSwapClient,
    clock: systemClock,
    allowList: MAINNET_ALLOW_LIST,
  });
  const connection = createSolanaRpc(sandbox.rpc[0] as string);

  async function getKeypairFromSession(token: string) {
    const data = redis.get(`session:${token}`);
    if (!data) throw new Error("Session expired");
    const session = JSON.parse(data) as { privateKey: string; expiresAt: number };
    const signer = await createKeyPairSignerFromPrivateKeyBytes(
      new Uint8Array(Buffer.from(session.privateKey, "base64")),
    );
    // signSwap signs at once; give it the kit signer's key as Osprey's session signer holds it.
    const key = KeyObject.from(signer.keyPair.privateKey);
    return {
      ...signer,
      signNow: (message: Uint8Array) => new Uint8Array(sign(null, message, key)) as SignatureBytes,
    };
  }

  async function confirmTransaction(signature: Signature) {
    for (;;) {
      const { value } = await connection.getSignatureStatuses([signature]).send();
      const status = value[0];
      if (status?.confirmationStatus === "confirmed" || status?.confirmationStatus === "finalized")
        return status.err;
      await sleep(100);
    }
  }

  return {
    async executeTrade(mint: (typeof tokens)[number], lamports: bigint) {
      const started = performance.now();
      const signer = await getKeypairFromSession(sessionToken); // 1. session
      const analysis = await honeypot.analyzeToken(mint, { fresh: true }); // 2. honeypot check
      if (analysis.verdict === "block") return undefined;
      const quote = await swapClient.getQuote({
        inputMint: ospreyAddress(SOL_MINT),
        outputMint: ospreyAddress(mint),
        amount: lamports,
        slippageBps: 50,
      }); // 3. quote
      const built = await swapClient.buildSwap({
        quote,
        userPublicKey: ospreyAddress(signer.address),
      }); // swap
      const signed = signSwap(signer, built.transaction);
      const firstSend = performance.now() - started;
      const signature = await connection
        .sendTransaction(signed.transaction as Base64EncodedWireTransaction, {
          encoding: "base64",
          skipPreflight: false,
          maxRetries: 0n,
        })
        .send();
      const err = await confirmTransaction(signature);
      if (err !== null) return undefined;
      return { firstSend, confirmed: performance.now() - started };
    },
  };
}

// ---------- (b) throughput ----------

async function runThroughput(onTradingStart: () => void) {
  const setupStart = performance.now();
  const users = await createUsers(USERS);
  const setupMs = performance.now() - setupStart;
  onTradingStart();
  const started = performance.now();
  // When each confirmation reached its user: the run's ramp-up and tail next to its middle.
  const confirmedAt: number[] = [];
  const results = await Promise.all(
    users.map(async (user, u) => {
      let confirmed = 0;
      for (let n = 0; n < ORDERS_PER_USER; n++) {
        const mint = tokens[(u + n) % tokens.length] as string;
        const placed = await user.order(
          { side: "buy", mint, amountLamports: String(5_000_000 + u * 10 + n), slippageBps: 3000 },
          `load-${u}-${n}`,
        );
        if (placed.status !== 202) {
          const error = placed.body.error as Json | undefined;
          count(`HTTP ${placed.status} ${String(error?.code)} (${String(error?.message)})`);
          continue;
        }
        const order = await user.settle(String(placed.body.id), placed.body);
        if (order.status === "CONFIRMED") {
          confirmed++;
          confirmedAt.push(performance.now() - started);
        } else count(`${String(order.status)}: ${String(order.error)}`);
        stagesOf(order);
      }
      return confirmed;
    }),
  );
  const ms = performance.now() - started;
  const confirmed = results.reduce((a, b) => a + b, 0);
  return {
    confirmed,
    total: USERS * ORDERS_PER_USER,
    ms,
    perSecond: confirmed / (ms / 1000),
    shape: confirmationShape(confirmedAt),
    setupMs,
  };
}

/** First and last confirmation (ms from the start), and the rate between the 10th and 90th. */
function confirmationShape(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const span = at(0.9) - at(0.1);
  return {
    first: sorted[0] ?? 0,
    last: sorted.at(-1) ?? 0,
    middle:
      span > 0
        ? (Math.floor(0.9 * sorted.length) - Math.floor(0.1 * sorted.length)) / (span / 1000)
        : 0,
  };
}

/** Under load, where an order's time goes: each status's time since the order was created. */
function stagesOf(order: Json): void {
  const created = Date.parse(String(order.createdAt));
  for (const event of order.events as { status: string; at: string }[]) {
    const list = stages.get(event.status) ?? [];
    list.push(Date.parse(event.at) - created);
    stages.set(event.status, list);
  }
}

// ---------- clients ----------

interface User {
  order(body: Json, key: string): Promise<{ status: number; body: Json }>;
  settle(id: string, first: Json): Promise<Json>;
}

type Call = (
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<{ status: number; body: Json }>;

/**
 * A JSON client whose connections come from its own loopback address (127.0.x.y), as 200 users
 * come from 200 hosts: the API's per-IP limits on sign-up and wallets then apply per user.
 */
function clientFrom(localAddress: string): Call {
  const agent = new Agent({ keepAlive: true, localAddress });
  const api = new URL(server.api);
  return (method, path, body, headers = {}) =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        {
          agent,
          host: api.hostname,
          port: api.port,
          method,
          path,
          headers: { ...(payload ? { "content-type": "application/json" } : {}), ...headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString();
            resolve({ status: res.statusCode ?? 0, body: (text ? JSON.parse(text) : {}) as Json });
          });
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(payload);
    });
}

/** Registered, logged in, a funded wallet, unlocked; a few at a time (argon2 is the cost). */
async function createUsers(count: number): Promise<User[]> {
  const users: User[] = [];
  const next = async (): Promise<void> => {
    while (users.length + inFlight < count) {
      inFlight++;
      const n = userCount++;
      users.push(await createUser(`bench-${n}`, n));
      inFlight--;
    }
  };
  let inFlight = 0;
  await Promise.all(Array.from({ length: Math.min(8, count) }, next));
  return users;
}

async function createUser(username: string, n: number): Promise<User> {
  const call = clientFrom(`127.0.${1 + Math.floor(n / 250)}.${1 + (n % 250)}`);
  const password = `${username} password`;
  await call("POST", "/v1/auth/register", { username, password });
  const login = await call("POST", "/v1/auth/login", { username, password });
  const auth = { authorization: `Bearer ${String(login.body.token)}` };
  const wallet = await call("POST", "/v1/wallets", { password: "wallet password" }, auth);
  await airdrop(String(wallet.body.publicKey), 10_000_000_000n);
  const unlock = await call(
    "POST",
    `/v1/wallets/${String(wallet.body.id)}/unlock`,
    { password: "wallet password" },
    auth,
  );
  if (unlock.status !== 200) throw new Error(`unlock failed: ${JSON.stringify(unlock.body)}`);
  const headers = { ...auth, "x-trading-session": String(unlock.body.sessionToken) };
  return {
    order: (body, key) => call("POST", "/v1/orders", body, { ...headers, "idempotency-key": key }),
    async settle(id, first) {
      let order = first;
      const final = ["CONFIRMED", "FAILED", "EXPIRED", "REJECTED"];
      while (!final.includes(String(order.status))) {
        await sleep(100);
        order = (await call("GET", `/v1/orders/${id}`, undefined, headers)).body;
      }
      return order;
    },
  };
}

// ---------- processes, proxy, memory ----------

/** `osprey <args> --json` as a child process; resolves with its ready line. */
async function spawnOsprey(args: string[], env: Record<string, string> = {}) {
  // BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=prof" profiles the children.
  const nodeArgs = process.env.BENCH_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    [...nodeArgs, BIN, ...args],
    {
      env: { ...process.env, ...env },
      stdio: ["pipe", "pipe", "pipe"],
    },
  );
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    // BENCH_SERVER_LOG=file keeps the children's warnings, to see why orders were not confirmed.
    if (process.env.BENCH_SERVER_LOG) appendFileSync(process.env.BENCH_SERVER_LOG, String(chunk));
    else if (stderr.length < 100_000) stderr += String(chunk);
  });
  let stdout = "";
  const ready = await new Promise<Json>((resolve, reject) => {
    child.stdout.on("data", (chunk) => {
      stdout += String(chunk);
      if (stdout.includes("\n")) resolve(JSON.parse(stdout.split("\n")[0] ?? "") as Json);
    });
    child.on("exit", (code) => reject(new Error(`osprey ${args[0]} exited ${code}: ${stderr}`)));
  });
  return { child, ready, api: String(ready.api) };
}

async function stop(process: { child: ChildProcessWithoutNullStreams }): Promise<void> {
  const { child } = process;
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  await Promise.race([once(child, "exit"), sleep(5_000)]);
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
}

/** User + system CPU seconds a process has used (/proc/<pid>/stat, in clock ticks of 10 ms). */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** Forwards to `target` after `delayMs()`: the swap and price APIs' injected latency. */
async function startDelayingProxy(
  target: string,
  delayMs: () => number,
): Promise<{ server: Server; url: string }> {
  const readBody = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };
  const proxyServer = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const start = Date.now();
      const delay = delayMs();
      if (delay > 0) await sleep(delay);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === "string" && name !== "host" && name !== "connection")
          headers[name] = value;
      }
      const response = await fetch(`${target}${req.url ?? ""}`, {
        method: req.method ?? "GET",
        headers,
        ...(body.length > 0 ? { body } : {}),
      });
      const text = Buffer.from(await response.arrayBuffer());
      if (TRACE) traceLog.push({ start, end: Date.now(), what: describeRequest(req.url, body) });
      res.writeHead(response.status, {
        "content-type": response.headers.get("content-type") ?? "application/json",
      });
      res.end(text);
    })().catch((error: unknown) => {
      res.writeHead(502);
      res.end(String(error));
    });
  });
  proxyServer.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => proxyServer.listen(0, "127.0.0.1", resolve));
  const { port } = proxyServer.address() as AddressInfo;
  return { server: proxyServer, url: `http://127.0.0.1:${port}` };
}

/** A short name for a traced request: the API path, or the JSON-RPC methods of the body. */
function describeRequest(url: string | undefined, body: Buffer): string {
  const path = new URL(url ?? "/", "http://x").pathname;
  if (!path.startsWith("/") || path.includes("/swap/") || path.includes("/price/")) return path;
  try {
    const parsed = JSON.parse(body.toString()) as { method: string } | { method: string }[];
    const calls = Array.isArray(parsed) ? parsed : [parsed];
    return `rpc ${calls.map((c) => c.method).join("+")}`;
  } catch {
    return path;
  }
}

/** The server's RSS every 100 ms, and the kernel's high-water mark at the end. */
function sampleMemory(pid: number) {
  const read = (field: string) => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status);
      return match ? Number(match[1]) / 1024 : 0;
    } catch {
      return 0;
    }
  };
  let sampled = 0;
  let hwm = 0;
  const timer = setInterval(() => {
    sampled = Math.max(sampled, read("VmRSS"));
  }, 100);
  return {
    stop() {
      clearInterval(timer);
      hwm = Math.max(hwm, read("VmHWM"));
      return { hwmMiB: hwm, sampledMiB: sampled };
    },
  };
}

function pct(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

function ms(value: number): string {
  return `${Math.round(value)} ms`;
}
