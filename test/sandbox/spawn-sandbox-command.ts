import { type ChildProcess, spawn } from "node:child_process";

// Runs the real command in a child process, as `osprey sandbox --json` would.
const SCRIPT = `
import { Command } from "commander";
import { registerSandboxCommand } from "./src/cli/commands/sandbox.ts";
const program = new Command("osprey");
registerSandboxCommand(program);
await program.parseAsync(process.argv);
`;

/** `osprey sandbox <args>` in a child process, stdout and stderr piped. */
export function spawnSandboxCommand(args: readonly string[]): ChildProcess {
  return spawn(
    process.execPath,
    ["--import", "tsx", "--input-type=module", "-e", SCRIPT, "osprey", "sandbox", ...args],
    { cwd: process.cwd(), stdio: ["ignore", "pipe", "pipe"] },
  );
}

export interface StdoutWatch {
  /** The first line (the JSON ready line); rejects if the child exits before printing one. */
  firstLine: Promise<string>;
  /** All stdout so far. */
  text(): string;
}

/** Collects the child's stdout from now on. */
export function watchStdout(child: ChildProcess): StdoutWatch {
  let stdout = "";
  child.stdout?.setEncoding("utf8");
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout?.on("data", (chunk: string) => {
      stdout += chunk;
      if (stdout.includes("\n")) resolve(stdout.slice(0, stdout.indexOf("\n")));
    });
    child.once("exit", (code) => reject(new Error(`exited early with ${code}`)));
  });
  return { firstLine, text: () => stdout };
}
