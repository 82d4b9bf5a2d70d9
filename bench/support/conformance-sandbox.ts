/**
 * The sandbox the conformance suites run against: `osprey sandbox` as a child process on the
 * port a test validator uses (RPC 8899, PubSub 8900), loaded with the suite's account fixtures.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { type Address, getAddressEncoder } from "@solana/kit";

export interface ConformanceSandbox {
  readonly rpcUrl: string;
  /** How the fixtures were loaded: by the CLI's --account-dir, or through the admin API. */
  readonly fixtureLoading: "account-dir" | "admin-api";
  /** Who wrote the test-ledger files: the sandbox (--ledger), the runner (ready line), nobody. */
  readonly ledger: "sandbox" | "ready-line" | "none";
  readonly flags: readonly string[];
  close(): Promise<void>;
}

export interface ConformanceSandboxOptions {
  readonly repoDir: string;
  readonly port: number;
  /** Directories of solana-test-validator account fixtures (`--account-dir` format). */
  readonly fixtureDirs: readonly string[];
  /** Where the suite reads a test validator's ledger files (identity keypair, validator.log). */
  readonly ledgerDir?: string;
  readonly log: (line: string) => void;
}

/** The fixture file format of `solana-test-validator --account-dir`. */
interface AccountFixture {
  pubkey: string;
  account: { lamports: number; data: [string, string]; owner: string; executable: boolean };
}

const run = promisify(execFile);

async function getSandboxHelp(repoDir: string): Promise<string> {
  const tsx = join(repoDir, "node_modules", ".bin", "tsx");
  const { stdout } = await run(tsx, ["src/cli/main.ts", "sandbox", "--help"], { cwd: repoDir });
  return stdout;
}

async function readFixtures(dirs: readonly string[]): Promise<AccountFixture[]> {
  const fixtures: AccountFixture[] = [];
  for (const dir of dirs) {
    for (const name of (await readdir(dir)).filter((file) => file.endsWith(".json")).sort()) {
      fixtures.push(JSON.parse(await readFile(join(dir, name), "utf8")) as AccountFixture);
    }
  }
  return fixtures;
}

/** Without --account-dir (older sandboxes) the admin API sets each fixture's account. */
async function postFixtures(adminUrl: string, fixtures: readonly AccountFixture[]) {
  for (const { pubkey, account } of fixtures) {
    const response = await fetch(`${adminUrl}/accounts`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        address: pubkey,
        lamports: String(account.lamports),
        owner: account.owner,
        data: account.data[0],
        executable: account.executable,
      }),
    });
    if (!response.ok) throw new Error(`fixture ${pubkey}: ${await response.text()}`);
  }
}

/** The ready line's validator addresses (sandboxes with a single-validator cluster print them). */
interface ReadyValidator {
  identity?: string;
  voteAccount?: string;
  faucet?: string;
}

/**
 * Without `--ledger`, the keypair files a test validator leaves in its ledger, written from the
 * addresses the ready line announces: the suites read only the public half (bytes 32–64), so
 * the secret half stays zero. validator.log is not made up (its tests compare it with RPC answers).
 */
async function writeLedgerFromReadyLine(dir: string, ready: ReadyValidator): Promise<boolean> {
  const files = {
    "validator-keypair.json": ready.identity,
    "vote-account-keypair.json": ready.voteAccount,
    "faucet-keypair.json": ready.faucet,
  };
  if (Object.values(files).some((key) => key === undefined)) return false;
  await mkdir(dir, { recursive: true });
  for (const [name, key] of Object.entries(files)) {
    const bytes = [...new Uint8Array(32), ...getAddressEncoder().encode(key as Address)];
    await writeFile(join(dir, name), JSON.stringify(bytes));
  }
  return true;
}

function waitForReadyLine(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = "";
    const timer = setTimeout(() => reject(new Error("sandbox did not start in time")), timeoutMs);
    child.stdout?.on("data", (chunk: Buffer) => {
      buffered += chunk.toString("utf8");
      const newline = buffered.indexOf("\n");
      if (newline < 0) return;
      clearTimeout(timer);
      resolve(buffered.slice(0, newline));
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`sandbox exited with ${code} before it was ready`));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** Starts `osprey sandbox` with the fixtures, using whichever loading flags this checkout has. */
export async function startConformanceSandbox(
  options: ConformanceSandboxOptions,
): Promise<ConformanceSandbox> {
  const help = await getSandboxHelp(options.repoDir);
  const hasAccountDir = help.includes("--account-dir");
  const hasLedger = help.includes("--ledger");
  const flags = [
    ...(help.includes("--no-market") ? ["--no-market"] : []),
    ...(hasAccountDir ? options.fixtureDirs.flatMap((dir) => ["--account-dir", dir]) : []),
    ...(options.ledgerDir && hasLedger ? ["--ledger", options.ledgerDir] : []),
  ];
  const args = ["src/cli/main.ts", "sandbox", "--port", String(options.port), "--json", ...flags];
  const tsx = join(options.repoDir, "node_modules", ".bin", "tsx");
  const child = spawn(tsx, args, { cwd: options.repoDir, stdio: ["ignore", "pipe", "pipe"] });
  child.stderr?.on("data", () => {}); // drained: the sandbox logs every request at info
  try {
    const line = await waitForReadyLine(child, 120_000);
    const ready = JSON.parse(line) as { rpc: string[]; admin: string } & ReadyValidator;
    const rpcUrl = ready.rpc[0] ?? `http://127.0.0.1:${options.port}`;
    if (!hasAccountDir) await postFixtures(ready.admin, await readFixtures(options.fixtureDirs));
    let ledger: ConformanceSandbox["ledger"] = "none";
    if (options.ledgerDir && hasLedger) ledger = "sandbox";
    else if (options.ledgerDir && (await writeLedgerFromReadyLine(options.ledgerDir, ready))) {
      ledger = "ready-line";
    }
    options.log(`sandbox ${rpcUrl} ${flags.filter((flag) => flag.startsWith("--no")).join(" ")}`);
    return {
      rpcUrl,
      fixtureLoading: hasAccountDir ? "account-dir" : "admin-api",
      ledger,
      flags,
      close: () => stopChild(child),
    };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}
