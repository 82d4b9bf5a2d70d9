/**
 * Dependency faults: what a client gets, and how fast, when something Osprey depends on fails.
 * `osprey serve` runs as a child process (`node_modules/.bin/tsx src/cli/main.ts serve` from the
 * checkout under test), so a server that blocks its event loop cannot hold up the timing here.
 *
 *  1. Redis killed (SIGKILL) under a running server: five authenticated requests, /readyz, and
 *     how long after Redis is back the next request succeeds.
 *  2. REDIS_URL pointing at nothing at start-up: does `serve` stop, or serve requests?
 *  3. PostgreSQL switched read-only (a database of the bench's own, its backends terminated):
 *     register, login, wallet creation, /readyz.
 *  4. SQLite locked by another connection (this process holds BEGIN IMMEDIATE on the server's
 *     file) while a write (POST /v1/api-keys) waits: the write, and /healthz sent 200 ms into the
 *     wait; once with the lock held until the write answers, once released after 1 s.
 *  5. Swap API down (answering 503, or refusing connections): GET /v1/quote.
 *  6. Solana RPC down (the same two ways): GET /v1/tokens/:mint/safety.
 *
 * The sandbox (chain and swap API) runs from this checkout; faults 1–4 use it for the chain.
 * Run: npx tsx bench/faults.ts [--root DIR] [--before DIR] [--postgres URL]
 *   --root: the checkout whose server is measured (default: this one).
 *   --before: also measure that checkout first, and print both side by side.
 *   --postgres: a server where the bench may create and drop a database (default
 *     TEST_POSTGRES_URL, else postgres://postgres@127.0.0.1:5432/test); unreachable → skipped.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import SqliteDatabase from "better-sqlite3";
import pg from "pg";
import { getFreePort, startRedisServer } from "../test/support/redis-server.js";
import { compareCheckouts, type Row } from "./support/compare-checkouts.js";
import { type Sandbox, sleep, spawnServe, stopServe, withServer } from "./support/spawn-serve.js";
import {
  type Answer,
  describeAnswer,
  describeAnswers,
  formatMs,
  signUp,
  timed,
} from "./support/timed-request.js";

const HERE = fileURLToPath(new URL("..", import.meta.url));
const { values: args } = parseArgs({
  options: {
    root: { type: "string", default: HERE },
    before: { type: "string" },
    postgres: {
      type: "string",
      default: process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test",
    },
  },
});

// ---------- a downstream that is down ----------

async function startDownServer(): Promise<{ url: string; server: Server }> {
  const server = createServer((_, response) => {
    response.writeHead(503, { "content-type": "application/json" });
    response.end('{"error":"down for maintenance"}');
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

// ---------- the faults ----------

async function redisKilled(root: string, chainEnv: Record<string, string>): Promise<Row[]> {
  const fault = "Redis killed under a running server";
  const redis = await startRedisServer();
  try {
    return await withServer(root, { ...chainEnv, REDIS_URL: redis.url }, async (api) => {
      const auth = await signUp(api, "redisbench");
      await redis.kill();
      const answers: Answer[] = [];
      for (let i = 0; i < 5; i += 1)
        answers.push(await timed(api, "GET", "/v1/wallets", { headers: auth }));
      const ready = await timed(api, "GET", "/readyz");
      await redis.start();
      const back = performance.now();
      let after: Answer | undefined;
      while (performance.now() - back < 20_000) {
        after = await timed(api, "GET", "/v1/wallets", { headers: auth });
        if (after.status === 200) break;
        await sleep(50);
      }
      return [
        { subject: fault, request: "GET /v1/wallets ×5", result: describeAnswers(answers) },
        { subject: fault, request: "GET /readyz", result: describeAnswer(ready) },
        {
          subject: fault,
          request: "GET /v1/wallets once Redis is back",
          result: `${after?.status} after ${formatMs(performance.now() - back)}`,
        },
      ];
    });
  } finally {
    await redis.kill();
  }
}

async function redisUnreachable(root: string, chainEnv: Record<string, string>): Promise<Row[]> {
  const fault = "REDIS_URL unreachable at start-up";
  const dataDir = mkdtempSync(join(tmpdir(), "osprey-bench-faults-"));
  const started = performance.now();
  const serve = spawnServe(root, {
    ...chainEnv,
    DATA_DIR: dataDir,
    REDIS_URL: `redis://127.0.0.1:${await getFreePort()}`,
  });
  try {
    const outcome = await Promise.race([
      serve.exited.then((code) => ({ kind: "exited" as const, code })),
      serve.ready.then(
        (ready) => ({ kind: "ready" as const, api: String(ready.api) }),
        () => new Promise<never>(() => {}),
      ),
    ]);
    const took = formatMs(performance.now() - started);
    if (outcome.kind === "exited") {
      const message = serve.stderr().trim().split("\n").at(-1) ?? "";
      return [
        {
          subject: fault,
          request: "osprey serve",
          result: `exit ${outcome.code} after ${took}: ${message.slice(0, 90)}`,
        },
      ];
    }
    const register = await timed(outcome.api, "POST", "/v1/auth/register", {
      body: { username: "nobody", password: "nobody password" },
    });
    const ready = await timed(outcome.api, "GET", "/readyz");
    return [
      { subject: fault, request: "osprey serve", result: `ready after ${took}` },
      { subject: fault, request: "POST /v1/auth/register", result: describeAnswer(register) },
      { subject: fault, request: "GET /readyz", result: describeAnswer(ready) },
    ];
  } finally {
    await stopServe(serve);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function postgresReadOnly(
  root: string,
  chainEnv: Record<string, string>,
  adminUrl: string,
): Promise<Row[]> {
  const fault = "PostgreSQL switched read-only";
  const adminQuery = async (statement: string, values: unknown[] = []) => {
    const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3_000 });
    await client.connect();
    try {
      return await client.query(statement, values);
    } finally {
      await client.end();
    }
  };
  try {
    await adminQuery("select 1");
  } catch (error) {
    return [
      {
        subject: fault,
        request: "(skipped)",
        result: `no PostgreSQL at ${adminUrl}: ${String(error)}`,
      },
    ];
  }
  const name = `osprey_bench_ro_${randomBytes(4).toString("hex")}`;
  await adminQuery(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  try {
    return await withServer(root, { ...chainEnv, DATABASE_URL: url.toString() }, async (api) => {
      const auth = await signUp(api, "readonly");
      await adminQuery(`alter database ${name} set default_transaction_read_only = on`);
      await adminQuery(
        "select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()",
        [name],
      );
      // Let the pool replace the connections that were cut: reads work again.
      for (let i = 0; i < 50; i += 1) {
        if ((await timed(api, "GET", "/v1/wallets", { headers: auth })).status === 200) break;
        await sleep(100);
      }
      const register = await timed(api, "POST", "/v1/auth/register", {
        body: { username: "newcomer", password: "newcomer password" },
      });
      const login = await timed(api, "POST", "/v1/auth/login", {
        body: { username: "readonly", password: "readonly password" },
      });
      const wallet = await timed(api, "POST", "/v1/wallets", {
        body: { password: "a long wallet password 42" },
        headers: auth,
      });
      const ready = await timed(api, "GET", "/readyz");
      return [
        { subject: fault, request: "POST /v1/auth/register", result: describeAnswer(register) },
        { subject: fault, request: "POST /v1/auth/login", result: describeAnswer(login) },
        { subject: fault, request: "POST /v1/wallets", result: describeAnswer(wallet) },
        { subject: fault, request: "GET /readyz", result: describeAnswer(ready) },
      ];
    });
  } finally {
    await adminQuery(`drop database if exists ${name} with (force)`);
  }
}

async function sqliteLocked(root: string, chainEnv: Record<string, string>): Promise<Row[]> {
  const fault = "SQLite locked while a write waits";
  const dataDir = mkdtempSync(join(tmpdir(), "osprey-bench-faults-"));
  const serve = spawnServe(root, { ...chainEnv, DATA_DIR: dataDir });
  try {
    const { api } = (await serve.ready) as { api: string };
    const auth = await signUp(api, "sqlitebench");
    const lock = new SqliteDatabase(join(dataDir, "osprey.db"));
    const rows: Row[] = [];
    try {
      for (const releaseAfterMs of [Number.POSITIVE_INFINITY, 1_000]) {
        lock.exec("BEGIN IMMEDIATE");
        const write = timed(api, "POST", "/v1/api-keys", {
          body: { name: "bench" },
          headers: auth,
        });
        await sleep(200);
        const health = timed(api, "GET", "/healthz");
        if (Number.isFinite(releaseAfterMs)) {
          await sleep(releaseAfterMs - 200);
          lock.exec("COMMIT");
        } else {
          await write;
          lock.exec("COMMIT");
        }
        const how = Number.isFinite(releaseAfterMs)
          ? "lock released after 1 s"
          : "lock held until the write answers";
        rows.push(
          {
            subject: fault,
            request: `POST /v1/api-keys, ${how}`,
            result: describeAnswer(await write),
          },
          {
            subject: fault,
            request: `GET /healthz 200 ms into that wait (${how})`,
            result: describeAnswer(await health),
          },
        );
      }
    } finally {
      if (lock.inTransaction) lock.exec("ROLLBACK");
      lock.close();
    }
    return rows;
  } finally {
    await stopServe(serve);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function upstreamDown(root: string, sandbox: Sandbox, which: "swap" | "rpc"): Promise<Row[]> {
  const fault = which === "swap" ? "Swap API down" : "Solana RPC down";
  const down = await startDownServer();
  const refusing = `http://127.0.0.1:${await getFreePort()}`;
  const mint = String(sandbox.mints.BONKY);
  const rows: Row[] = [];
  try {
    for (const [how, url] of [
      ["answering 503", down.url],
      ["refusing connections", refusing],
    ] as const) {
      const env =
        which === "swap"
          ? {
              SOLANA_RPC_URLS: sandbox.rpc.join(","),
              JUPITER_API_URL: `${url}/swap/v1`,
              JUPITER_PRICE_URL: `${url}/price/v3`,
            }
          : {
              SOLANA_RPC_URLS: url,
              JUPITER_API_URL: sandbox.swapApi,
              JUPITER_PRICE_URL: sandbox.priceApi,
            };
      rows.push(
        await withServer(root, env, async (api) => {
          const auth = await signUp(api, `${which}bench`);
          const path =
            which === "swap"
              ? `/v1/quote?side=buy&mint=${mint}&amount=10000000`
              : `/v1/tokens/${mint}/safety`;
          const answer = await timed(api, "GET", path, { headers: auth });
          const route = which === "swap" ? "GET /v1/quote" : "GET /v1/tokens/:mint/safety";
          return { subject: fault, request: `${route}, ${how}`, result: describeAnswer(answer) };
        }),
      );
    }
    return rows;
  } finally {
    down.server.close();
  }
}

async function measure(root: string, sandbox: Sandbox): Promise<Row[]> {
  const chainEnv = {
    SOLANA_RPC_URLS: sandbox.rpc.join(","),
    JUPITER_API_URL: sandbox.swapApi,
    JUPITER_PRICE_URL: sandbox.priceApi,
  };
  return [
    ...(await redisKilled(root, chainEnv)),
    ...(await redisUnreachable(root, chainEnv)),
    ...(await postgresReadOnly(root, chainEnv, args.postgres)),
    ...(await sqliteLocked(root, chainEnv)),
    ...(await upstreamDown(root, sandbox, "swap")),
    ...(await upstreamDown(root, sandbox, "rpc")),
  ];
}

// ---------- run ----------

await compareCheckouts({
  name: "faults",
  subject: "fault",
  root: args.root,
  before: args.before,
  measure,
});
