import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSolanaRpc, getBase58Decoder } from "@solana/kit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

// Runs the real command in a child process, as `osprey sandbox --json` would.
const SCRIPT = `
import { Command } from "commander";
import { registerSandboxCommand } from "./src/cli/commands/sandbox.ts";
const program = new Command("osprey");
registerSandboxCommand(program);
await program.parseAsync(process.argv);
`;

interface Started {
  child: ChildProcess;
  ready: { rpc: string[]; identity: string; voteAccount: string; faucet: string };
  output: () => string;
}

function startSandboxCli(args: string[]): Promise<Started> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--input-type=module", "-e", SCRIPT, "osprey", "sandbox", ...args],
    { cwd: process.cwd(), stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8");
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on("data", (chunk: string) => {
      stdout += chunk;
      if (!stdout.includes("\n")) return;
      const ready = JSON.parse(stdout.slice(0, stdout.indexOf("\n"))) as Started["ready"];
      resolve({ child, ready, output: () => stdout + stderr });
    });
    child.once("exit", (code) => reject(new Error(`exited early with ${code}: ${stderr}`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGINT");
  await exited;
}

/** What kit's tests do: the keypair file's first line, bytes 32..64, in base58. */
async function readKeypairAddress(path: string): Promise<string> {
  const [line] = (await readFile(path, "utf8")).split("\n");
  const bytes = new Uint8Array(JSON.parse(line as string) as number[]);
  expect(bytes.length).toBe(64);
  return getBase58Decoder().decode(bytes.slice(32, 64));
}

/** The first match of each of kit's validator.log patterns. */
function matchLog(log: string, pattern: RegExp): string | undefined {
  for (const line of log.split("\n")) {
    const match = line.match(pattern);
    if (match) return match[1];
  }
  return undefined;
}

describe("osprey sandbox --ledger", () => {
  let dir: string;
  let running: Started | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "osprey-ledger-"));
  });
  afterEach(async () => {
    if (running) await stop(running.child);
    running = undefined;
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes a test validator's keypairs and validator.log, agreeing with the RPC", async () => {
    const ledger = join(dir, "test-ledger");
    running = await startSandboxCli(["--port", "0", "--json", "--no-market", "--ledger", ledger]);
    const { ready } = running;
    const rpc = createSolanaRpc(ready.rpc[0] as string);

    const identity = await readKeypairAddress(join(ledger, "validator-keypair.json"));
    const voteAccount = await readKeypairAddress(join(ledger, "vote-account-keypair.json"));
    const faucet = await readKeypairAddress(join(ledger, "faucet-keypair.json"));
    expect([identity, voteAccount, faucet]).toEqual([
      ready.identity,
      ready.voteAccount,
      ready.faucet,
    ]);
    for (const name of ["validator", "vote-account", "faucet"]) {
      const { mode } = await stat(join(ledger, `${name}-keypair.json`));
      expect(mode & 0o777).toBe(0o600);
    }
    expect((await rpc.getIdentity().send()).identity).toBe(identity);
    // The faucet is a real funded account: the largest accounts list all three.
    const largest = await rpc.getLargestAccounts().send();
    const listed = largest.value.map((entry) => entry.address);
    expect(listed).toEqual(expect.arrayContaining([identity, voteAccount, faucet]));

    // kit's getVersion / getGenesisHash / getClusterNodes tests, regexes as they are.
    const log = await readFile(join(ledger, "validator.log"), "utf8");
    const version = await rpc.getVersion().send();
    expect(matchLog(log, /agave-validator ([\d.]+)/)).toBe(version["solana-core"]);
    expect(Number.parseInt(matchLog(log, /feat:([0-9a-f]+)/) as string, 16)).toBe(
      version["feature-set"],
    );
    expect(matchLog(log, /genesis hash: ([\d\w]{32,})/)).toBe(await rpc.getGenesisHash().send());
    const [node] = await rpc.getClusterNodes().send();
    expect(matchLog(log, /identity pubkey: ([\w]{32,})/)).toBe(node?.pubkey);
    expect(`127.0.0.1:${matchLog(log, /local gossip address: [\d.]+:([\d]+)/)}`).toBe(node?.gossip);
    expect(`127.0.0.1:${matchLog(log, /rpc bound to [\d.]+:([\d]+)/)}`).toBe(node?.rpc);
    expect(Number(matchLog(log, /shred_version: ([\d]+)/))).toBe(node?.shredVersion);

    // A fresh test validator starts at slot 0, where block height equals slot.
    expect(await rpc.getFirstAvailableBlock().send()).toBe(0n);
    // Block 0 is readable once confirmed (a slot or two after start).
    const readBlock = () =>
      rpc
        .getBlock(0n, { commitment: "confirmed", transactionDetails: "none", rewards: false })
        .send();
    let block = await readBlock().catch(() => null);
    for (let tries = 0; block === null && tries < 20; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      block = await readBlock().catch(() => null);
    }
    expect(block).toMatchObject({ parentSlot: 0n, blockHeight: 0n });
    const { absoluteSlot, blockHeight } = await rpc
      .getEpochInfo({ commitment: "processed" })
      .send();
    expect(blockHeight).toBe(absoluteSlot);

    // Secrets stay in their files.
    const secret = (await readFile(join(ledger, "faucet-keypair.json"), "utf8")).trim();
    expect(running.output()).not.toContain(secret.slice(1, 40));
  });

  it("reuses the keypairs of a restarted ledger and rewrites its log", async () => {
    const ledger = join(dir, "restarted");
    running = await startSandboxCli(["--port", "0", "--json", "--no-market", "--ledger", ledger]);
    const first = running.ready;
    const firstLog = await readFile(join(ledger, "validator.log"), "utf8");
    await stop(running.child);

    running = await startSandboxCli(["--port", "0", "--json", "--no-market", "--ledger", ledger]);
    expect(running.ready.identity).toBe(first.identity);
    expect(running.ready.voteAccount).toBe(first.voteAccount);
    expect(running.ready.faucet).toBe(first.faucet);
    const log = await readFile(join(ledger, "validator.log"), "utf8");
    expect(log).not.toBe(firstLog);
    expect(log.match(/genesis hash:/g)).toHaveLength(1);
    const rpc = createSolanaRpc(running.ready.rpc[0] as string);
    // The reused faucet still signs: an airdrop from it lands.
    const signature = await rpc.requestAirdrop(first.identity as never, 1_000_000n as never).send();
    expect(typeof signature).toBe("string");
  });

  it("refuses a keypair file whose public key is not its secret key's", async () => {
    const ledger = join(dir, "broken");
    running = await startSandboxCli(["--port", "0", "--json", "--no-market", "--ledger", ledger]);
    await stop(running.child);
    running = undefined;
    const path = join(ledger, "validator-keypair.json");
    const bytes = JSON.parse(await readFile(path, "utf8")) as number[];
    bytes[40] = ((bytes[40] as number) + 1) % 256;
    await writeFile(path, JSON.stringify(bytes));
    await expect(
      startSandboxCli(["--port", "0", "--json", "--no-market", "--ledger", ledger]),
    ).rejects.toThrow(/validator-keypair\.json: the keypair's public key is not its secret key's/);
  });

  it("starts at --start-slot, block height 0, when given one", async () => {
    running = await startSandboxCli([
      "--port",
      "0",
      "--json",
      "--no-market",
      "--start-slot",
      "500",
    ]);
    const rpc = createSolanaRpc(running.ready.rpc[0] as string);
    expect(await rpc.getFirstAvailableBlock().send()).toBe(500n);
    expect(await rpc.getBlockHeight({ commitment: "processed" }).send()).toBeLessThan(500n);
  });
});
