import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatTokenAmount, formatUsd } from "../../src/cli/format-orders.js";
import { ARGON2_FLOOR_ENV } from "../support/argon2-floor.js";
import {
  type OspreyProcess,
  runOsprey as runOspreyCommand,
  spawnOsprey,
} from "../support/spawn-osprey.js";

const emptyDir = mkdtempSync(join(tmpdir(), "osprey-demo-cwd-"));

// An empty DATA_DIR unless a test names one: no stray ready.json is picked up by default.
const runOsprey = (args: string[], env: Record<string, string> = {}) =>
  runOspreyCommand(args, { DATA_DIR: emptyDir, ...env });

/** A fresh user with a funded, unlocked wallet, set up over plain HTTP. */
async function createFundedSession(api: string, admin: string) {
  const call = async (path: string, body: unknown, token?: string) => {
    const response = await fetch(`${api}${path}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body),
    });
    expect(response.status, path).toBeLessThan(300);
    return (await response.json()) as Record<string, string>;
  };
  const user = { username: `cli-${Date.now()}`, password: "a long enough password" };
  await call("/v1/auth/register", user);
  const { token = "" } = await call("/v1/auth/login", user);
  const wallet = await call("/v1/wallets", { password: "wallet password" }, token);
  await fetch(`${admin}/airdrop`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ address: wallet.publicKey, lamports: "1000000000" }),
  });
  const unlocked = await call(
    `/v1/wallets/${wallet.id}/unlock`,
    { password: "wallet password" },
    token,
  );
  return { token, session: unlocked.sessionToken ?? "" };
}

describe("osprey demo against osprey serve", { timeout: 120_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), "osprey-demo-"));
  let server: OspreyProcess;
  let ready: Record<string, unknown>;
  let tour: Promise<Awaited<ReturnType<typeof runOsprey>>>;

  beforeAll(async () => {
    server = spawnOsprey(["serve", "--port", "0", "--json"], {
      DATA_DIR: dataDir,
      ...ARGON2_FLOOR_ENV,
    });
    ready = await server.ready;
    // One full tour, shared by the assertions below: it is the expensive part.
    tour = runOsprey(["demo", "--ready", JSON.stringify(ready)]);
    await tour;
  }, 180_000);

  afterAll(async () => {
    server?.child.kill("SIGTERM");
    await server?.exited();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(emptyDir, { recursive: true, force: true });
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
    expect(stdout).toMatch(/BONKY: verdict OK, risk score \d+\/100, 20 checks, 0 failing/);
    expect(stdout).toMatch(/FREEZE: verdict BLOCK, risk score \d+\/100/);
    expect(stdout).toMatch(/FAIL freeze_authority \(critical\): .*can freeze/);
  });

  it("buys BONKY, sees FREEZE refused with reasons, sells half, prints positions; exit 0", async () => {
    const { stdout, stderr, code } = await tour;
    expect(stdout, stderr).toMatch(
      /7\. Buy BONKY for 0\.5 SOL\n {3}order \S+ {2}buy \S+ {2}CONFIRMED/,
    );
    expect(stdout).toMatch(/in: 0\.5\d* SOL {3}out: [\d.]+ BONKY {3}commission: 0\.00425 SOL/);
    expect(stdout).toMatch(
      /8\. Try to buy the honeypot FREEZE\n {3}refused \(HTTP 4\d\d\) \w+: .*\n {3}reason: freeze_authority/,
    );
    expect(stdout).toMatch(/9\. Sell half of the BONKY\n {3}order \S+ {2}sell \S+ {2}CONFIRMED/);
    expect(stdout).toMatch(/10\. Positions and P&L\n {3}BONKY \(\w+\) {2}holding [\d.]+ BONKY\n/);
    expect(stdout).toMatch(/P&L realized -?[\d.]+ SOL.*, unrealized -?[\d.]+ SOL/);
    // Dollars as people write them: the sign before the $, cents, never "$-1.007039".
    expect(stdout).toMatch(
      /cost [\d.]+ SOL \(\$[\d,]+\.\d\d\), average [\d.]+ SOL \(\$[\d.]+\) per BONKY/,
    );
    expect(stdout).toMatch(/P&L realized -?[\d.]+ SOL \(-?\$[\d,]+\.\d\d\)/);
    expect(stdout).not.toMatch(/\$-|\$[1-9][\d,]*\.\d{3,}/);
    expect(stdout).toContain("session revoked.");
    expect(stdout).toContain("Demo complete.");
    expect(code).toBe(0);
  });

  it("osprey buy, sell, orders and positions trade against the same server", async () => {
    const api = String(ready.api);
    const { token, session } = await createFundedSession(api, String(ready.admin));
    const mints = ready.mints as Record<string, string>;
    const env = {
      OSPREY_API_URL: api,
      OSPREY_TOKEN: token,
      OSPREY_SESSION: session,
      OSPREY_MINTS: JSON.stringify(mints),
    };
    const buy = await runOsprey(
      ["buy", "WIFY", "0.1", "--idempotency-key", "cli-buy", "--json"],
      env,
    );
    expect(buy.code, buy.stderr).toBe(0);
    const bought = JSON.parse(buy.stdout) as { id: string; status: string; amountIn: string };
    expect(bought).toMatchObject({ status: "CONFIRMED", mint: mints.WIFY, side: "buy" });
    // A retry with the same key is the same order; the same key for another amount is refused.
    const retry = await runOsprey(
      ["buy", "WIFY", "0.1", "--idempotency-key", "cli-buy", "--json"],
      env,
    );
    expect(JSON.parse(retry.stdout)).toMatchObject({ id: bought.id });
    const reuse = await runOsprey(["buy", "WIFY", "0.2", "--idempotency-key", "cli-buy"], env);
    expect(reuse.code).toBe(1);
    expect(reuse.stderr).toContain("IDEMPOTENCY_CONFLICT");

    const sell = await runOsprey(["sell", "WIFY", "--percent", "100"], env);
    expect(sell.code, sell.stderr).toBe(0);
    expect(sell.stdout).toMatch(/idempotency key: [0-9a-f-]{36}[\s\S]* sell \S+ {2}CONFIRMED/);
    const orders = await runOsprey(["orders", "--json"], env);
    const listed = JSON.parse(orders.stdout) as { orders: { side: string; status: string }[] };
    expect(listed.orders.map((o) => `${o.side} ${o.status}`).sort()).toEqual([
      "buy CONFIRMED",
      "sell CONFIRMED",
    ]);
    const one = await runOsprey(["orders", "--id", bought.id], env);
    expect(one.stdout).toMatch(/\d{4}-\d\d-\d\dT\S+ {2}CONFIRMED/);
    const positions = await runOsprey(["positions"], env);
    expect(positions.code, positions.stderr).toBe(0);
    expect(positions.stdout).toMatch(/WIFY \(\w+\) {2}holding 0 WIFY\n/);
  });

  it("osprey orders and buy take an API key, within its scope", async () => {
    const api = String(ready.api);
    const { token, session } = await createFundedSession(api, String(ready.admin));
    const keyOf = async (scope: string) => {
      const response = await fetch(`${api}/v1/api-keys`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ name: `cli ${scope}`, scope }),
      });
      expect(response.status).toBe(201);
      return String(((await response.json()) as { key: string }).key);
    };
    const env = (key: string) => ({
      OSPREY_API_URL: api,
      OSPREY_TOKEN: key,
      OSPREY_SESSION: session,
      OSPREY_MINTS: JSON.stringify(ready.mints),
    });
    const reader = env(await keyOf("read"));
    const orders = await runOsprey(["orders", "--json"], reader);
    expect(orders.code, orders.stderr).toBe(0);
    expect(JSON.parse(orders.stdout)).toEqual({ orders: [] });
    const refused = await runOsprey(["buy", "WIFY", "0.1"], reader);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("INSUFFICIENT_SCOPE");
    const bought = await runOsprey(["buy", "WIFY", "0.1", "--json"], env(await keyOf("trade")));
    expect(bought.code, bought.stderr).toBe(0);
    expect(JSON.parse(bought.stdout)).toMatchObject({ side: "buy", status: "CONFIRMED" });
  });

  it("with no flags reads $DATA_DIR/ready.json; lacking a faucet, says how to fund and exits 0", async () => {
    // No flags: the ready line from $DATA_DIR/ready.json, as a serve could leave it, minus the faucet.
    const dir = mkdtempSync(join(tmpdir(), "osprey-demo-ready-"));
    writeFileSync(join(dir, "ready.json"), `${JSON.stringify({ ...ready, admin: undefined })}\n`);
    const run = await runOsprey(["demo"], { DATA_DIR: dir });
    rmSync(dir, { recursive: true, force: true });
    expect(run.stdout, run.stderr).toMatch(/3\. Fund it with 2 SOL\n {3}No sandbox faucet given/);
    expect(run.stdout).toMatch(/Send at least 2 SOL to [1-9A-HJ-NP-Za-km-z]{32,44}/);
    expect(run.stdout).toContain("The demo stops here.");
    expect(run.stdout).not.toContain("4. Unlock");
    expect(run.code).toBe(0);
  });

  it("without a server says that none answers at the URL, not that a mint is missing (exit 1)", async () => {
    // Nothing listens on the discard port; no ready file, no flags: the newcomer's first try.
    const run = await runOsprey(["demo"], { OSPREY_API_URL: "http://127.0.0.1:9" });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "osprey demo: API_UNREACHABLE: no Osprey server answers at http://127.0.0.1:9: start one with `npm start`",
    );
    expect(run.stderr).not.toContain("no mint for");
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

describe("osprey demo's figures", () => {
  it("formats dollars as -$1.01 and token amounts with their symbol", () => {
    expect(formatUsd("-1.007039")).toBe("-$1.01");
    expect(formatUsd("1234.5")).toBe("$1,234.50");
    expect(formatUsd("0")).toBe("$0.00");
    expect(formatUsd("0.0000104")).toBe("$0.0000104");
    expect(formatUsd("-0.004")).toBe("-$0.004");
    expect(formatUsd("-0.00001")).toBe("-$0.00001");
    expect(formatTokenAmount("123450000", 6, "BONKY")).toBe("123.45 BONKY");
    expect(formatTokenAmount("5", null, "BONKY")).toBe("5 base units of BONKY");
    expect(formatTokenAmount("5", 0)).toBe("5");
  });
});
