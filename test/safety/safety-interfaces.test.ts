import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createSafetyRoutes } from "../../src/api/routes/safety-routes.js";
import { registerCheckCommand } from "../../src/cli/commands/check.js";
import { CHECK_IDS } from "../../src/safety/index.js";
import { type BareApi, createBareApi } from "../support/bare-api.js";
import { type SafetySandbox, startSafetySandbox } from "./sandbox-setup.js";

describe("safety report over HTTP and on the command line", () => {
  let env: SafetySandbox;
  let api: BareApi | undefined;
  let url: string;

  beforeAll(async () => {
    env = await startSafetySandbox();
    api = await createBareApi({ routes: [createSafetyRoutes({ analyzer: env.analyzer })] });
    url = await api.app.listen({ host: "127.0.0.1", port: 0 });
  }, 120_000);
  afterAll(async () => {
    await api?.close();
    await env?.close();
  });

  it("GET /v1/tokens/:mint/safety answers the contract's report", async () => {
    const mint = env.market.risky.PDELEG as string;
    const response = await fetch(`${url}/v1/tokens/${mint}/safety?fresh=true`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown> & { checks: { id: string }[] };
    expect(Object.keys(body)).toEqual([
      "mint",
      "program",
      "name",
      "symbol",
      "decimals",
      "supply",
      "verdict",
      "score",
      "slot",
      "analyzedAt",
      "checks",
    ]);
    expect(body).toMatchObject({ mint, program: "token-2022", verdict: "block", symbol: "PDELEG" });
    expect(typeof body.supply).toBe("string");
    expect(body.checks).toContainEqual({
      id: "permanent_delegate",
      severity: "critical",
      status: "fail",
      detail: expect.stringContaining("permanent delegate"),
    });
    expect(body.checks.map((c) => c.id)).toEqual(
      CHECK_IDS.filter((id) => id !== "unknown_extension"),
    );
  });

  it("answers bad mints with their codes and statuses", async () => {
    const wallet = env.stable.authorities.mintAuthority as string;
    const cases: [string, number, string][] = [
      ["not-base58-0OIl", 400, "INVALID_ADDRESS"],
      ["abc", 400, "INVALID_ADDRESS"],
      [wallet, 400, "NOT_A_MINT"],
      ["Ahg1opVcGX9PFVfGTBgCaqXTFDCvkAhSsaSFWBPhKrJd", 404, "TOKEN_NOT_FOUND"],
    ];
    for (const [mint, status, code] of cases) {
      const response = await fetch(`${url}/v1/tokens/${mint}/safety`);
      expect(response.status, mint).toBe(status);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
    }
  });

  async function runCli(...args: string[]) {
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    const errSpy = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const program = new Command("osprey").exitOverride();
    registerCheckCommand(program);
    try {
      await program.parseAsync([
        "node",
        "osprey",
        "check",
        ...args,
        "--rpc",
        env.rpcUrl,
        "--swap-api",
        env.market.swapApiUrl,
      ]);
      return { stdout: out.join(""), exitCode: process.exitCode };
    } finally {
      spy.mockRestore();
      errSpy.mockRestore();
      process.exitCode = 0;
    }
  }

  it("osprey check exits 0 ok, 1 warn, 2 block, 3 error, with one JSON object under --json", async () => {
    const ok = await runCli(env.market.mints.POPY as string, "--json");
    expect(ok.exitCode).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ verdict: "ok", symbol: "POPY" });
    expect(ok.stdout.trim().split("\n")).toHaveLength(1);

    expect((await runCli(env.market.risky.HOOK as string, "--json")).exitCode).toBe(1);
    const block = await runCli(env.market.risky.FREEZE as string);
    expect(block.exitCode).toBe(2);
    expect(block.stdout).toContain("verdict: BLOCK");
    expect(block.stdout).toMatch(/FAIL\s+freeze_authority/);

    const bad = await runCli("nope", "--json");
    expect(bad.exitCode).toBe(3);
    expect(JSON.parse(bad.stdout)).toMatchObject({ error: { code: "INVALID_ADDRESS" } });
  });
});
