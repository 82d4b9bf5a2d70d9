import { Command } from "commander";
import { afterEach, describe, expect, it, vi } from "vitest";
import { getRpcStatus, registerRpcCommand } from "../../src/cli/commands/rpc.js";
import { type JsonRpcTestServer, startJsonRpcTestServer } from "./json-rpc-test-server.js";

const servers: JsonRpcTestServer[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function healthyAndBroken() {
  const good = await startJsonRpcTestServer((r) => ({
    result: r.method === "getHealth" ? "ok" : 4242,
  }));
  const bad = await startJsonRpcTestServer(() => ({ status: 503 }));
  servers.push(good, bad);
  return { good, bad };
}

describe("osprey rpc status", () => {
  it("probes every endpoint with getHealth and getSlot", async () => {
    const { good, bad } = await healthyAndBroken();
    const probes = await getRpcStatus(`${good.url}|3,${bad.url}`, 2_000);
    expect(probes[0]).toMatchObject({
      endpoint: good.url,
      healthy: true,
      slot: 4242n,
      weight: 3,
      errors: 0,
    });
    expect(probes[1]).toMatchObject({ endpoint: bad.url, healthy: false, errors: 1 });
    expect(good.calls.map((c) => c.method)).toEqual(["getHealth", "getSlot"]);
  });

  it("prints JSON with --json and hides query secrets", async () => {
    const { good } = await healthyAndBroken();
    const out: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    const program = new Command().exitOverride();
    registerRpcCommand(program);
    await program.parseAsync(["rpc", "status", "--rpc", `${good.url}/?api-key=SECRET`, "--json"], {
      from: "user",
    });
    const report = JSON.parse(out.join("")) as {
      endpoint: string;
      slot: string;
      state: { kind: string };
    }[];
    expect(report[0]).toMatchObject({
      endpoint: good.url,
      slot: "4242",
      state: { kind: "closed" },
    });
    expect(out.join("")).not.toContain("SECRET");
    expect(process.exitCode).toBeUndefined();
  });

  it("prints a table and exits 1 when no endpoint answers", async () => {
    const { bad } = await healthyAndBroken();
    const out: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    const program = new Command().exitOverride();
    registerRpcCommand(program);
    await program.parseAsync(["rpc", "status", "--rpc", bad.url], { from: "user" });
    expect(out.join("")).toMatch(/ENDPOINT\s+HEALTH\s+CIRCUIT/);
    expect(out.join("")).toContain("unhealthy");
    expect(process.exitCode).toBe(1);
  });
});
