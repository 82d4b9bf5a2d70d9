import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ARGON2_FLOOR_ENV } from "../../test/support/argon2-floor.js";
import type { Json } from "./timed-request.js";

export const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

export interface Serve {
  readonly child: ChildProcessWithoutNullStreams;
  /** The first line `serve --json` prints (`api`, …); rejects if the server exits first. */
  readonly ready: Promise<Json>;
  readonly exited: Promise<number | string>;
  stderr(): string;
}

/** Where the sandbox's chain and swap API answer, and its demo tokens. */
export interface Sandbox {
  readonly rpc: string[];
  readonly swapApi: string;
  readonly priceApi: string;
  readonly mints: Record<string, string>;
}

/** Fails early, with the fix, when `root` cannot run its own `osprey`. */
export function assertRunnable(root: string): void {
  if (!existsSync(join(root, "node_modules/.bin/tsx")))
    throw new Error(`${root} has no node_modules/.bin/tsx (link node_modules into it)`);
}

/**
 * `osprey <command> --port 0 --json` from the checkout at `root`, as a child process: a server
 * that blocks its event loop cannot hold up the bench's clocks, and any checkout can be measured.
 */
function spawnOsprey(
  root: string,
  command: string,
  env: Record<string, string>,
  args: readonly string[] = [],
) {
  return spawn(
    join(root, "node_modules/.bin/tsx"),
    ["src/cli/main.ts", command, "--port", "0", "--json", ...args],
    { cwd: root, env: { ...process.env, LOG_LEVEL: "silent", ...env }, stdio: "pipe" },
  );
}

/** `osprey serve` from `root` (argon2 at OWASP's floor unless `env` says otherwise). */
export function spawnServe(root: string, env: Record<string, string>): Serve {
  const child = spawnOsprey(root, "serve", { ...ARGON2_FLOOR_ENV, ...env });
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    if (stderr.length < 20_000) stderr += String(chunk);
  });
  const exited = once(child, "exit").then(([code, signal]) => (code ?? signal) as number | string);
  const ready = new Promise<Json>((resolveReady, reject) => {
    child.stdout.on("data", (chunk) => {
      stdout += String(chunk);
      if (stdout.includes("\n")) resolveReady(JSON.parse(stdout.split("\n")[0] ?? "") as Json);
    });
    void exited.then((code) => reject(new Error(`serve exited ${code}: ${stderr.trim()}`)));
  });
  ready.catch(() => {});
  return { child, ready, exited, stderr: () => stderr };
}

export async function stopServe(serve: Serve): Promise<void> {
  const { child } = serve;
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  await Promise.race([serve.exited, sleep(5_000)]);
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
}

/** A server on `root` with a fresh data directory; stopped and cleaned when `body` ends. */
export async function withServer<T>(
  root: string,
  env: Record<string, string>,
  body: (api: string, dataDir: string) => Promise<T>,
): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), "osprey-bench-"));
  const serve = spawnServe(root, { DATA_DIR: dataDir, ...env });
  try {
    const { api } = (await serve.ready) as { api: string };
    return await body(api, dataDir);
  } finally {
    await stopServe(serve);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * `osprey sandbox` from `root` (with `args` added): a chain and a swap API for the servers under
 * test. `pid` is the launcher's: the sandbox itself runs in its process tree.
 */
export async function spawnSandbox(
  root: string,
  args: readonly string[] = [],
): Promise<{ sandbox: Sandbox; pid: number; stop(): Promise<void> }> {
  const child = spawnOsprey(root, "sandbox", {}, args);
  const exited = once(child, "exit");
  const sandbox = await new Promise<Sandbox>((resolveReady, reject) => {
    let stdout = "";
    child.stdout.on("data", (chunk) => {
      stdout += String(chunk);
      if (stdout.includes("\n")) resolveReady(JSON.parse(stdout.split("\n")[0] ?? "") as Sandbox);
    });
    void exited.then(([code]) => reject(new Error(`sandbox exited ${code}`)));
  });
  return {
    sandbox,
    pid: child.pid ?? 0,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      await Promise.race([exited, sleep(5_000)]);
    },
  };
}
