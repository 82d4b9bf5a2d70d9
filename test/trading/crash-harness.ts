import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateKeyPairSigner } from "@solana/kit";
import { ARGON2_FLOOR_ENV } from "../support/argon2-floor.js";
import { type OspreyProcess, spawnOsprey } from "../support/spawn-osprey.js";

export type Json = Record<string, unknown>;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A port free now, so every restart of the server listens where clients already point. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function kill(process: OspreyProcess | undefined): Promise<void> {
  if (!process || process.child.exitCode !== null || process.child.signalCode !== null) return;
  process.child.kill("SIGKILL");
  await process.exited();
}

/** JSON-RPC over plain fetch: the test reads the chain as any outside observer would. */
export async function rpcCall(url: string, method: string, params: unknown[]): Promise<unknown> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: unknown; error?: unknown };
  if (body.error) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.result;
}

/** What the crash tests read of `osprey sandbox --json`'s ready line. */
export interface SandboxReady {
  readonly rpc: string[];
  readonly admin: string;
  readonly swapApi: string;
  readonly priceApi: string;
  readonly mints: Record<string, string>;
  /** The sandbox's Jito-compatible block engine and tipped sender (issue 19). */
  readonly blockEngine?: string;
  readonly sender?: string;
}

/**
 * The sandbox chain in a child process of its own (killing the server must not kill the chain),
 * and `osprey serve` on one data directory and one port, killed and restarted at will.
 */
export async function startCrashHarness(
  options: {
    /** More of the server's environment, from the sandbox's ready line (e.g. its private routes). */
    readonly serverEnv?: (ready: SandboxReady) => Record<string, string>;
  } = {},
) {
  const dataDir = mkdtempSync(join(tmpdir(), "osprey-crash-"));
  // The sandbox opens the fee wallet and its wrapped-SOL fee account.
  const feeWallet = (await generateKeyPairSigner()).address;
  const sandbox = spawnOsprey([
    "sandbox",
    "--port",
    "0",
    "--slot-ms",
    "100",
    "--fee-wallet",
    feeWallet,
    "--json",
  ]);
  let server: OspreyProcess | undefined;
  try {
    const ready = (await sandbox.ready) as unknown as SandboxReady;
    const rpc = ready.rpc[0] ?? "";
    const admin = async (action: string, body: Json) => {
      const response = await fetch(`${ready.admin}/${action}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      const result = (await response.json()) as Json;
      if (response.status !== 200) throw new Error(`admin ${action}: ${JSON.stringify(result)}`);
      return result;
    };
    const port = await freePort();
    const env = {
      SOLANA_RPC_URLS: rpc,
      JUPITER_API_URL: ready.swapApi,
      JUPITER_PRICE_URL: ready.priceApi,
      FEE_WALLET: feeWallet,
      DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
      ...ARGON2_FLOOR_ENV,
      ...options.serverEnv?.(ready),
    };
    const api = `http://127.0.0.1:${port}`;
    return {
      ready,
      rpc,
      api,
      feeWallet,
      admin,
      /** Starts the server (again) on the same database and port; resolves once it is ready. */
      async start(): Promise<void> {
        await kill(server);
        server = spawnOsprey(["serve", "--port", String(port), "--json"], env);
        await server.ready;
      },
      /** SIGKILL: no shutdown hook, no drain, as in a power cut. */
      crash: () => kill(server),
      serverStderr: () => server?.stderr() ?? "",
      async close(): Promise<void> {
        await Promise.allSettled([kill(server), kill(sandbox)]);
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await kill(sandbox);
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

export type CrashHarness = Awaited<ReturnType<typeof startCrashHarness>>;

/**
 * The killer: while `running()` says work is in flight, SIGKILL the server at seeded random
 * moments (the first within 100–300 ms, then 300 ms plus up to `maxGapMs`), restart it (its reconcilers run before it listens), at
 * most `maxCrashes` times. Returns when each crash happened.
 */
export async function crashWhileRunning(
  harness: CrashHarness,
  options: {
    readonly running: () => boolean;
    readonly random: () => number;
    readonly maxCrashes: number;
    readonly maxGapMs: number;
  },
): Promise<number[]> {
  const crashTimes: number[] = [];
  while (options.running() && crashTimes.length < options.maxCrashes) {
    // The first kill comes early (100–300 ms): on a fast machine the work can be over before a
    // later one, and a crash test that never crashed tests nothing.
    const gap =
      crashTimes.length === 0
        ? 100 + 200 * options.random()
        : 300 + options.random() * options.maxGapMs;
    await sleep(Math.floor(gap));
    if (!options.running()) break;
    await harness.crash();
    crashTimes.push(Date.now());
    await sleep(Math.floor(options.random() * 500));
    await harness.start();
  }
  return crashTimes;
}

export interface Reply {
  readonly status: number;
  readonly body: Json;
  /** Failed attempts before this answer (the server was down). */
  readonly connectionErrors: number;
}

/** A request that retries connection failures (the server is down or restarting) as they are. */
export async function callRetrying(
  api: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  deadline = Date.now() + 120_000,
): Promise<Reply> {
  for (let attempt = 0; ; attempt++) {
    try {
      const response = await fetch(`${api}${path}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { "content-type": "application/json" }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(20_000),
      });
      const text = await response.text();
      return {
        status: response.status,
        body: (text ? JSON.parse(text) : {}) as Json,
        connectionErrors: attempt,
      };
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(100);
    }
  }
}

/** The final statuses of an order or a withdrawal. */
export const TERMINAL = new Set(["CONFIRMED", "FAILED", "EXPIRED", "REJECTED"]);

/** A user of the crash tests: one wallet, funded, unlocked; `placed` is each test's own record. */
export interface CrashUser<Placed> {
  readonly name: string;
  readonly publicKey: string;
  readonly walletId: string;
  readonly auth: Record<string, string>;
  readonly airdrops: Set<string>;
  session: string;
  readonly placed: Placed[];
}

/** Unlocks the user's wallet (again: a trading session lives only in the process that made it). */
export async function unlockCrashUser(
  harness: CrashHarness,
  user: CrashUser<unknown>,
): Promise<void> {
  const reply = await callRetrying(
    harness.api,
    "POST",
    `/v1/wallets/${user.walletId}/unlock`,
    { password: "wallet password" },
    user.auth,
  );
  if (reply.status !== 200)
    throw new Error(`unlock: ${reply.status} ${JSON.stringify(reply.body)}`);
  user.session = String(reply.body.sessionToken);
}

/** Registers `name`, makes a wallet, airdrops 20 SOL to it and unlocks it. */
export async function createCrashUser<Placed>(
  harness: CrashHarness,
  name: string,
): Promise<CrashUser<Placed>> {
  const password = `${name} password`;
  await callRetrying(harness.api, "POST", "/v1/auth/register", { username: name, password });
  const login = await callRetrying(harness.api, "POST", "/v1/auth/login", {
    username: name,
    password,
  });
  const auth = { authorization: `Bearer ${String(login.body.token)}` };
  const wallet = await callRetrying(
    harness.api,
    "POST",
    "/v1/wallets",
    { password: "wallet password" },
    auth,
  );
  const publicKey = String(wallet.body.publicKey);
  const airdrop = await harness.admin("airdrop", { address: publicKey, lamports: "20000000000" });
  const user: CrashUser<Placed> = {
    name,
    publicKey,
    walletId: String(wallet.body.id),
    auth,
    airdrops: new Set([String(airdrop.signature)]),
    session: "",
    placed: [],
  };
  await unlockCrashUser(harness, user);
  return user;
}

/** The chain's record of one transaction, reduced to what a wallet paid and received. */
export interface ChainSwap {
  readonly signature: string;
  readonly err: unknown;
  readonly lamportDelta: bigint;
  readonly tokenDeltas: ReadonlyMap<string, bigint>;
}

interface RawTokenBalance {
  readonly mint: string;
  readonly owner?: string;
  readonly uiTokenAmount: { readonly amount: string };
}

interface RawTransaction {
  readonly meta: {
    readonly err: unknown;
    readonly preBalances: number[];
    readonly postBalances: number[];
    readonly preTokenBalances?: RawTokenBalance[];
    readonly postTokenBalances?: RawTokenBalance[];
    readonly loadedAddresses?: { writable: string[]; readonly: string[] };
  };
  readonly transaction: { readonly message: { readonly accountKeys: string[] } };
}

/** Every transaction touching `owner` except those in `ignore` (its airdrops), from the chain. */
export async function readChainSwaps(
  rpc: string,
  owner: string,
  ignore: ReadonlySet<string>,
): Promise<ChainSwap[]> {
  const signatures = (await rpcCall(rpc, "getSignaturesForAddress", [
    owner,
    { limit: 1000, commitment: "confirmed" },
  ])) as { signature: string }[];
  const swaps: ChainSwap[] = [];
  for (const { signature } of signatures) {
    if (ignore.has(signature)) continue;
    const tx = (await rpcCall(rpc, "getTransaction", [
      signature,
      { commitment: "confirmed", encoding: "json", maxSupportedTransactionVersion: 0 },
    ])) as RawTransaction;
    const keys = [
      ...tx.transaction.message.accountKeys,
      ...(tx.meta.loadedAddresses?.writable ?? []),
      ...(tx.meta.loadedAddresses?.readonly ?? []),
    ];
    const index = keys.indexOf(owner);
    const tokenDeltas = new Map<string, bigint>();
    const add = (balances: RawTokenBalance[] | undefined, sign: bigint) => {
      for (const b of balances ?? []) {
        if (b.owner !== owner) continue;
        const delta = sign * BigInt(b.uiTokenAmount.amount);
        tokenDeltas.set(b.mint, (tokenDeltas.get(b.mint) ?? 0n) + delta);
      }
    };
    add(tx.meta.postTokenBalances, 1n);
    add(tx.meta.preTokenBalances, -1n);
    swaps.push({
      signature,
      err: tx.meta.err,
      lamportDelta:
        BigInt(tx.meta.postBalances[index] ?? 0) - BigInt(tx.meta.preBalances[index] ?? 0),
      tokenDeltas,
    });
  }
  return swaps;
}
