import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { afterAll, describe, expect, it } from "vitest";

// Runs the real command in a child process, as `osprey sandbox --json` would.
const SCRIPT = `
import { Command } from "commander";
import { registerSandboxCommand } from "./src/cli/commands/sandbox.ts";
const program = new Command("osprey");
registerSandboxCommand(program);
await program.parseAsync(process.argv);
`;

let child: ChildProcess | undefined;

afterAll(() => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
});

describe("osprey sandbox", () => {
  it("prints one JSON ready line, serves RPC, and exits 0 on SIGINT", async () => {
    child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "--input-type=module",
        "-e",
        SCRIPT,
        "osprey",
        "sandbox",
        "--port",
        "0",
        "--endpoints",
        "2",
        "--json",
      ],
      { cwd: process.cwd(), stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    child.stdout?.setEncoding("utf8");
    const line = await new Promise<string>((resolve, reject) => {
      child?.stdout?.on("data", (chunk: string) => {
        stdout += chunk;
        if (stdout.includes("\n")) resolve(stdout.slice(0, stdout.indexOf("\n")));
      });
      child?.once("exit", (code) => reject(new Error(`exited early with ${code}`)));
    });
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
    expect(stdout.trim().split("\n")).toHaveLength(1);
  });
});
