import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OspreyProcess, spawnOsprey } from "../support/spawn-osprey.js";

const ROOT = new URL("../../", import.meta.url);
const REGISTERED = readFileSync(new URL("src/cli/main.ts", ROOT), "utf8").includes("demo.js");
// Until main.ts registers `demo`, an entry that registers only it stands in.
const ENTRY = `import { Command } from "commander";
const { registerDemoCommand } = await import(${JSON.stringify(new URL("src/cli/commands/demo.ts", ROOT).href)});
const program = new Command("osprey");
registerDemoCommand(program);
await program.parseAsync(process.argv.slice(1), { from: "user" });`;

/** Runs `osprey <args>` as a child process and collects its output and exit code. */
async function runOsprey(args: string[]) {
  const argv = REGISTERED
    ? [fileURLToPath(new URL("bin/osprey.js", ROOT)), ...args]
    : ["--import", "tsx", "--input-type=module", "-e", ENTRY, "--", ...args];
  const child = spawn(process.execPath, argv, { cwd: fileURLToPath(ROOT) });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => {
    stdout += String(chunk);
  });
  child.stderr.on("data", (chunk) => {
    stderr += String(chunk);
  });
  const [code] = (await once(child, "close")) as [number | null];
  return { code, stdout, stderr };
}

describe("osprey demo against osprey serve", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "osprey-demo-"));
  let server: OspreyProcess;
  let ready: Record<string, unknown>;
  let tour: Promise<Awaited<ReturnType<typeof runOsprey>>>;
  let ordersLive = false;

  beforeAll(async () => {
    server = spawnOsprey(["serve", "--port", "0", "--json"], {
      DATA_DIR: dataDir,
      ARGON2_MEMORY_KIB: "19456",
      ARGON2_PASSES: "2",
      ARGON2_PARALLELISM: "1",
    });
    ready = await server.ready;
    // Asked of the server itself: the order routes are another component, still being built.
    const probe = await fetch(`${String(ready.api)}/v1/orders`, { method: "POST" });
    const probed = (await probe.json()) as { error?: { code?: string } };
    ordersLive = probed.error?.code !== "ROUTE_NOT_FOUND";
    // One full tour, shared by the assertions below: it is the expensive part.
    tour = runOsprey(["demo", "--ready", JSON.stringify(ready)]);
    await tour;
  }, 180_000);

  afterAll(async () => {
    server?.child.kill("SIGTERM");
    await server?.exited();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("registers, creates, funds and unlocks a wallet, and reports both safety verdicts", async () => {
    const { stdout, stderr } = await tour;
    expect(stdout, stderr).toContain(`Osprey demo against ${String(ready.api)}`);
    expect(stdout).toMatch(
      /1\. Register a fresh user "demo-[0-9a-f]{8}" and log in\n {3}user \S+;/,
    );
    expect(stdout).toMatch(
      /2\. Create a wallet.*\n {3}wallet \S+, address [1-9A-HJ-NP-Za-km-z]{32,44}/,
    );
    expect(stdout).toContain("sandbox faucet paid in; balance 2 SOL");
    expect(stdout).toMatch(/4\. Unlock the wallet.*\n {3}session valid until \d{4}-/);
    expect(stdout).toMatch(/BONKY: verdict OK, risk score \d+\/100, 19 checks, 0 failing/);
    expect(stdout).toMatch(/FREEZE: verdict BLOCK, risk score \d+\/100/);
    expect(stdout).toMatch(/FAIL freeze_authority \(critical\): .*can freeze/);
  });

  it("stops at the buy with a clear message and exit 1 while the server has no order routes", async ({
    skip,
  }) => {
    skip(ordersLive, "the server has order routes: the full tour is asserted instead");
    const { stdout, code } = await tour;
    expect(stdout).toMatch(
      /7\. Buy BONKY for 0\.5 SOL\n\nDemo stopped at that step: .*POST \/v1\/orders/,
    );
    expect(code).toBe(1);
  });

  it("buys BONKY, sees FREEZE refused with reasons, sells half, prints positions; exit 0", async ({
    skip,
  }) => {
    skip(
      !ordersLive,
      "POST /v1/orders answers ROUTE_NOT_FOUND: the order routes are not built yet",
    );
    const { stdout, stderr, code } = await tour;
    expect(stdout, stderr).toMatch(/7\. Buy BONKY[\s\S]*order \S+ {2}buy \S+ {2}CONFIRMED/);
    expect(stdout).toMatch(/8\. Try to buy the honeypot FREEZE[\s\S]*freeze_authority/);
    expect(stdout).toMatch(/9\. Sell half of the BONKY[\s\S]*order \S+ {2}sell \S+ {2}CONFIRMED/);
    expect(stdout).toMatch(/10\. Positions and P&L\n {3}\S+/);
    expect(stdout).toContain("Demo complete.");
    expect(code).toBe(0);
  });

  it("without a faucet, says how to fund the wallet and stops with exit 0", async () => {
    const mints = JSON.stringify({ ...(ready.mints as object), ...(ready.risky as object) });
    const run = await runOsprey(["demo", "--api", String(ready.api), "--mints", mints]);
    expect(run.stdout, run.stderr).toMatch(/3\. Fund it with 2 SOL\n {3}No sandbox faucet given/);
    expect(run.stdout).toMatch(/Send at least 2 SOL to [1-9A-HJ-NP-Za-km-z]{32,44}/);
    expect(run.stdout).toContain("The demo stops here.");
    expect(run.stdout).not.toContain("4. Unlock");
    expect(run.code).toBe(0);
  });

  it("refuses to start without mints for its tokens (exit 2), and names a server that is down", async () => {
    const noMints = await runOsprey(["demo", "--api", String(ready.api)]);
    expect(noMints.code).toBe(2);
    expect(noMints.stderr).toContain("no mint for BONKY");
    const mints = JSON.stringify(ready.mints);
    const down = await runOsprey([
      "demo",
      "--api",
      "http://127.0.0.1:9",
      "--mints",
      mints,
      "--honeypot",
      "USDC",
    ]);
    expect(down.code).toBe(1);
    expect(down.stdout).toContain(
      "API_UNREACHABLE: cannot reach the Osprey API at http://127.0.0.1:9",
    );
  });
});
