import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { address, generateKeyPairSigner } from "@solana/kit";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import type { AppOptions } from "../../src/app.js";
import { type SandboxStack, startSandboxStack } from "../../src/cli/start-sandbox-stack.js";
import { address as ospreyAddress } from "../../src/core/addresses.js";
import { isTerminalOrderStatus, type OrderStatus } from "../../src/core/order-status.js";
import { getFeeAccount } from "../../src/trading/fee-account.js";
import { createHttpClient, type HttpResult, type Json } from "../support/http-client.js";
import { startTestApp } from "../support/test-app.js";

export type TestServer = Awaited<ReturnType<typeof startTestApp>>;

/**
 * The databases the end-to-end tests run on: SQLite always, PostgreSQL when CI provides it.
 * Suites use `describeEachDatabaseKind`, which reports the PostgreSQL one as skipped when unset.
 */
export const TRADING_DATABASES: ("sqlite" | "postgres")[] = process.env.TEST_POSTGRES_URL
  ? ["sqlite", "postgres"]
  : ["sqlite"];

/** A fresh PostgreSQL database for one sandbox, and how to drop it. */
async function createPostgresDatabase(baseUrl: string) {
  const name = `osprey_trading_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

/** A sandbox with a fee wallet, and a way to start (and restart) apps on one database. */
export async function startTradingSandbox(database: "sqlite" | "postgres" = "sqlite") {
  const feeWallet = (await generateKeyPairSigner()).address;
  const stack: SandboxStack = await startSandboxStack({
    port: 0,
    slotMs: 100,
    feeWallets: [feeWallet],
  });
  const dataDir = mkdtempSync(join(tmpdir(), "osprey-trading-"));
  const postgres =
    database === "postgres"
      ? await createPostgresDatabase(process.env.TEST_POSTGRES_URL ?? "")
      : null;
  const startApp = (options: AppOptions = {}, env: Record<string, string> = {}) =>
    startTestApp(
      {
        FEE_WALLET: feeWallet,
        DATA_DIR: dataDir,
        // `JUPITER_SWAP_API=v1 npx vitest run test/trading` runs the suites on the v1 path.
        ...(process.env.JUPITER_SWAP_API ? { JUPITER_SWAP_API: process.env.JUPITER_SWAP_API } : {}),
        ...(postgres ? { DATABASE_URL: postgres.url } : {}),
        // `JUPITER_SWAP_API=v1 npx vitest run test/trading` runs these suites on the v1 path.
        ...(process.env.JUPITER_SWAP_API ? { JUPITER_SWAP_API: process.env.JUPITER_SWAP_API } : {}),
        ...env,
      },
      {
        rpcUrls: stack.ready.rpc,
        swapApiUrl: stack.ready.swapApi,
        priceApiUrl: stack.ready.priceApi,
        pinnedMints: { USDC: stack.ready.mints.USDC ?? "" },
        ...options,
      },
    );
  return {
    stack,
    feeWallet,
    /** The fee wallet's wrapped-SOL account, where the commission lands. */
    feeAccount: await getFeeAccount(ospreyAddress(feeWallet)),
    startApp,
    lamportsOf: (owner: string) => stack.sandbox.chain.getAccount(address(owner))?.lamports ?? 0n,
    async close() {
      await stack.close();
      await postgres?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type TradingSandbox = Awaited<ReturnType<typeof startTradingSandbox>>;

export interface Trader {
  readonly headers: Record<string, string>;
  readonly publicKey: string;
  readonly walletId: string;
  order(body: unknown, key: string, extra?: Record<string, string>): Promise<HttpResult>;
  get(path: string): Promise<HttpResult>;
  /** Polls the order until it is final. */
  settle(id: string): Promise<Json>;
  tokenBalance(mint: string): Promise<bigint>;
}

/** Registers a user, creates and funds a wallet, unlocks it: ready to trade over HTTP. */
export async function createTrader(
  sandbox: TradingSandbox,
  url: string,
  name: string,
  lamports = 10_000_000_000n,
): Promise<Trader> {
  const http = createHttpClient(url);
  const auth = await http.signUp(name);
  const wallet = await http.call("POST", "/v1/wallets", { password: "wallet password" }, auth);
  const publicKey = String(wallet.body.publicKey);
  sandbox.stack.sandbox.chain.airdrop(address(publicKey), lamports);
  const unlock = await http.call(
    "POST",
    `/v1/wallets/${String(wallet.body.id)}/unlock`,
    { password: "wallet password" },
    auth,
  );
  const headers = { ...auth, "x-trading-session": String(unlock.body.sessionToken) };
  return forTrader(url, headers, publicKey, String(wallet.body.id));
}

/** The same trader against another server (after a restart). */
export function forTrader(
  url: string,
  headers: Record<string, string>,
  publicKey: string,
  walletId: string,
): Trader {
  const http = createHttpClient(url);
  const trader: Trader = {
    headers,
    publicKey,
    walletId,
    order: (body, key, extra = {}) =>
      http.call("POST", "/v1/orders", body, { ...headers, "idempotency-key": key, ...extra }),
    get: (path) => http.call("GET", path, undefined, headers),
    async settle(id) {
      for (let i = 0; i < 200; i++) {
        const { body } = await trader.get(`/v1/orders/${id}`);
        if (isTerminalOrderStatus(body.status as OrderStatus)) return body;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`order ${id} did not settle`);
    },
    async tokenBalance(mint) {
      const { body } = await trader.get(`/v1/wallets/${walletId}`);
      const tokens = (body.tokens ?? []) as { mint: string; amount: string }[];
      return tokens.filter((t) => t.mint === mint).reduce((sum, t) => sum + BigInt(t.amount), 0n);
    },
  };
  return trader;
}

/**
 * One sandbox and one app for the enclosing describe block: started before its tests, closed
 * after them. Read `env.sandbox` and `env.server` inside tests (they are set by then).
 */
export function useTradingApp(
  database: "sqlite" | "postgres" = "sqlite",
  appOptions: (sandbox: TradingSandbox) => AppOptions = () => ({}),
  appEnv: Record<string, string> = {},
) {
  const env = {} as { sandbox: TradingSandbox; server: TestServer };
  beforeAll(async () => {
    env.sandbox = await startTradingSandbox(database);
    env.server = await env.sandbox.startApp(appOptions(env.sandbox), appEnv);
  }, 120_000);
  afterAll(async () => {
    await env.server?.close();
    await env.sandbox?.close();
  });
  return env;
}
