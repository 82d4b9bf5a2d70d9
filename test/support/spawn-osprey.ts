import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = fileURLToPath(new URL("../../bin/osprey.js", import.meta.url));

export interface OspreyProcess {
  readonly child: ChildProcessWithoutNullStreams;
  /** Resolves with the parsed --json ready line. */
  readonly ready: Promise<Record<string, unknown>>;
  stderr(): string;
  /** Resolves with the exit code (or the signal name). */
  exited(): Promise<number | string>;
}

/** Runs the real `osprey` command as a child process, as a user would. */
export function spawnOsprey(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 60_000,
): OspreyProcess {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr += String(chunk);
  });
  const exit = once(child, "exit").then(([code, signal]) => (code ?? signal) as number | string);
  const ready = new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ready line in ${timeoutMs} ms; stderr: ${stderr}`)),
      timeoutMs,
    );
    child.stdout.on("data", (chunk) => {
      stdout += String(chunk);
      const line = stdout.split("\n")[0];
      if (stdout.includes("\n") && line) {
        clearTimeout(timer);
        try {
          resolve(JSON.parse(line) as Record<string, unknown>);
        } catch {
          reject(new Error(`the first line of stdout is not JSON: ${line.slice(0, 200)}`));
        }
      }
    });
    void exit.then((code) => {
      clearTimeout(timer);
      reject(new Error(`osprey exited (${code}) before it was ready; stderr: ${stderr}`));
    });
  });
  ready.catch(() => {});
  return { child, ready, stderr: () => stderr, exited: () => exit };
}

/** Runs `osprey <args>` from the project root to its end; its output and exit code. */
export async function runOsprey(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
  });
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
