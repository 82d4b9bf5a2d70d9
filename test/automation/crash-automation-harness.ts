import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateKeyPairSigner } from "@solana/kit";
import pg from "pg";
import { type SandboxStack, startSandboxStack } from "../../src/cli/start-sandbox-stack.js";
import { createDatabase, type Database } from "../../src/store/database.js";
import { ARGON2_FLOOR_ENV } from "../support/argon2-floor.js";
import { getFreePort } from "../support/redis-server.js";
import { type OspreyProcess, spawnOsprey } from "../support/spawn-osprey.js";

async function kill(server: OspreyProcess | undefined): Promise<void> {
  if (!server || server.child.exitCode !== null || server.child.signalCode !== null) return;
  server.child.kill("SIGKILL");
  await server.exited();
}

/** A fresh PostgreSQL database the instances share, and how to drop it. */
async function createPostgresDatabase(baseUrl: string) {
  const name = `osprey_crash_${process.pid}_${randomBytes(3).toString("hex")}`;
  const run = async (query: string) => {
    const client = new pg.Client({ connectionString: baseUrl });
    await client.connect();
    await client.query(query);
    await client.end();
  };
  await run(`create database ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`drop database if exists ${name} with (force)`) };
}

export interface AutomationCrashOptions {
  /** `osprey serve` processes on one database (more than one needs PostgreSQL). */
  readonly instances: number;
  /** PostgreSQL and Redis shared by the instances; absent: SQLite in one data directory. */
  readonly postgresUrl?: string;
  readonly redisUrl?: string;
}

/**
 * The sandbox in this process (so tests move prices through its chain, as market-mover.ts does)
 * and `osprey serve` instances as child processes, each killed with SIGKILL and restarted on its
 * port at will. Every line any instance ever wrote to stderr is kept, for the secret check.
 */
export async function startAutomationCrashHarness(options: AutomationCrashOptions) {
  const feeWallet = (await generateKeyPairSigner()).address;
  const stack: SandboxStack = await startSandboxStack({
    port: 0,
    slotMs: 100,
    feeWallets: [feeWallet],
  });
  const dataDir = mkdtempSync(join(tmpdir(), "osprey-crash-automation-"));
  const postgres = options.postgresUrl ? await createPostgresDatabase(options.postgresUrl) : null;
  // The operator's key: what the canary looks for in the logs afterwards.
  const automationKey = randomBytes(32).toString("base64");
  const ports = await Promise.all(Array.from({ length: options.instances }, getFreePort));
  const servers: (OspreyProcess | undefined)[] = ports.map(() => undefined);
  const finishedLogs: string[] = [];
  const envOf = (index: number): Record<string, string> => ({
    SOLANA_RPC_URLS: stack.ready.rpc[0] ?? "",
    JUPITER_API_URL: stack.ready.swapApi,
    JUPITER_PRICE_URL: stack.ready.priceApi,
    FEE_WALLET: feeWallet,
    DATA_DIR: postgres ? join(dataDir, `instance-${index}`) : dataDir,
    // Info, not warn: the secret check reads what an operator's log would hold.
    LOG_LEVEL: "info",
    AUTOMATION_KEY: automationKey,
    TRIGGER_PRICE_INTERVAL_MS: "200",
    // A dead instance's firings are resumed by the survivor (or the restart) 3 s on.
    TRIGGER_LEASE_MS: "3000",
    ...ARGON2_FLOOR_ENV,
    ...(postgres ? { DATABASE_URL: postgres.url } : {}),
    ...(options.redisUrl
      ? { REDIS_URL: options.redisUrl, REDIS_PREFIX: `crash-${randomBytes(3).toString("hex")}:` }
      : {}),
  });
  const env = ports.map((_, index) => envOf(index));

  async function crash(index: number): Promise<void> {
    const server = servers[index];
    await kill(server);
    if (server) finishedLogs.push(server.stderr());
    servers[index] = undefined;
  }

  return {
    stack,
    feeWallet,
    automationKey,
    rpc: stack.ready.rpc[0] ?? "",
    apis: ports.map((port) => `http://127.0.0.1:${port}`),
    /** Starts instance `index` (again) on its port; resolves once it listens. */
    async start(index: number): Promise<void> {
      await crash(index);
      const server = spawnOsprey(["serve", "--port", String(ports[index]), "--json"], env[index]);
      servers[index] = server;
      await server.ready;
    },
    /** SIGKILL: no shutdown hook, no drain, as in a power cut. */
    crash,
    isUp: (index: number) => servers[index] !== undefined,
    /** Everything every instance wrote to stderr so far, across restarts. */
    logs: () => [...finishedLogs, ...servers.map((s) => s?.stderr() ?? "")].join("\n"),
    /** The instances' database, opened by the test to read what the API does not show. */
    openDatabase(): Promise<Database> {
      return createDatabase(
        postgres
          ? { kind: "postgres", url: postgres.url }
          : { kind: "sqlite", path: join(dataDir, "osprey.db") },
        { migrate: false },
      );
    },
    async close(): Promise<void> {
      await Promise.allSettled(servers.map((server) => kill(server)));
      await stack.close();
      await postgres?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type AutomationCrashHarness = Awaited<ReturnType<typeof startAutomationCrashHarness>>;
