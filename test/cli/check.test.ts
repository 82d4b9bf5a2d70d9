import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ARGON2_FLOOR_ENV } from "../support/argon2-floor.js";
import { type OspreyProcess, runOsprey, spawnOsprey } from "../support/spawn-osprey.js";

interface Ready {
  api: string;
  rpc: string[];
  swapApi: string;
  mints: Record<string, string>;
  risky: Record<string, string>;
}

interface Report {
  verdict: string;
  score: number;
  checks: { id: string; status: string; detail: string }[];
}

describe("osprey check and the API on the sandbox of osprey serve", { timeout: 120_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), "osprey-check-"));
  const emptyDir = mkdtempSync(join(tmpdir(), "osprey-check-empty-"));
  let server: OspreyProcess;
  let ready: Ready;
  let token: string;

  beforeAll(async () => {
    server = spawnOsprey(["serve", "--port", "0", "--json"], {
      DATA_DIR: dataDir,
      ...ARGON2_FLOOR_ENV,
    });
    ready = (await server.ready) as unknown as Ready;
    const user = { username: `check-${Date.now()}`, password: "correct horse battery staple" };
    const post = (path: string) =>
      fetch(`${ready.api}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(user),
      });
    expect((await post("/v1/auth/register")).status).toBe(201);
    token = ((await (await post("/v1/auth/login")).json()) as { token: string }).token;
  }, 120_000);

  afterAll(async () => {
    server?.child.kill("SIGTERM");
    await server?.exited();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(emptyDir, { recursive: true, force: true });
  });

  const viaApi = async (mint: string) => {
    const response = await fetch(`${ready.api}/v1/tokens/${mint}/safety?fresh=true`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    return (await response.json()) as Report;
  };
  const viaCli = async (mint: string, env: Record<string, string>, ...args: string[]) => {
    const run = await runOsprey(["check", mint, "--json", ...args], env);
    return { code: run.code, report: JSON.parse(run.stdout) as Report, stderr: run.stderr };
  };

  it("gives the sandbox USDC one verdict through either door: ok, allow-listed", async () => {
    const usdc = ready.mints.USDC ?? "";
    const api = await viaApi(usdc);
    // No flags: check finds the server's sandbox, and what it pins, in $DATA_DIR/ready.json.
    const cli = await viaCli(usdc, { DATA_DIR: dataDir });
    expect(cli.report.verdict, cli.stderr).toBe(api.verdict);
    expect(api.verdict).toBe("ok");
    expect(cli.code).toBe(0);
    expect(cli.report.checks.find((c) => c.id === "allow_list")?.detail).toMatch(
      /USDC is on the allow-list/,
    );
    // The same with the sandbox named explicitly: the URL is the server's, so the pin applies.
    const named = await viaCli(usdc, { DATA_DIR: dataDir }, "--rpc", ready.rpc[0] ?? "");
    expect(named.report.verdict).toBe("ok");
  });

  it("agrees with the API on healthy and risky tokens too", async () => {
    for (const mint of [ready.mints.BONKY ?? "", ready.risky.FREEZE ?? ""]) {
      const [api, cli] = await Promise.all([viaApi(mint), viaCli(mint, { DATA_DIR: dataDir })]);
      expect(cli.report.verdict).toBe(api.verdict);
    }
  });

  it("pins nothing for a chain that is not the server's sandbox", async () => {
    // No ready file says this RPC is a sandbox Osprey vouches for: the stable is judged like any
    // token (it keeps a mint and a freeze authority), as it would be on mainnet.
    const cli = await viaCli(
      ready.mints.USDC ?? "",
      { DATA_DIR: emptyDir },
      "--rpc",
      ready.rpc[0] ?? "",
      "--swap-api",
      ready.swapApi,
    );
    expect(cli.report.checks.find((c) => c.id === "allow_list")?.detail).toMatch(
      /Not on the allow-list/,
    );
    expect(cli.report.verdict).toBe("block");
  });
});
