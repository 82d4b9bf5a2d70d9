import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { afterAll, describe, expect, it } from "vitest";
import { spawnSandboxCommand, watchStdout } from "./spawn-sandbox-command.js";

let child: ChildProcess | undefined;

afterAll(() => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
});

describe("osprey sandbox", () => {
  it("prints one JSON ready line, serves RPC, and exits 0 on SIGINT", async () => {
    child = spawnSandboxCommand(["--port", "0", "--endpoints", "2", "--json"]);
    const stdout = watchStdout(child);
    const line = await stdout.firstLine;
    const ready = JSON.parse(line) as { rpc: string[]; ws: string[]; admin: string };
    expect(ready.rpc).toHaveLength(2);
    expect(ready.ws[0]).toBe(`ws://127.0.0.1:${Number(new URL(ready.rpc[0] as string).port) + 1}`);
    expect(ready.admin).toBe(`${ready.rpc[0]}/sandbox`);
    const response = await fetch(ready.rpc[1] as string, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "getHealth" }),
    });
    expect(await response.json()).toEqual({ jsonrpc: "2.0", result: "ok", id: 1 });

    const exited = once(child, "exit");
    child.kill("SIGINT");
    const [code] = await exited;
    expect(code).toBe(0);
    expect(stdout.text().trim().split("\n")).toHaveLength(1);
  });
});
