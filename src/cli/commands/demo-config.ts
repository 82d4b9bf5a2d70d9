/** Where `osprey demo` finds the API, the faucet and the mints: flags, the ready line, the environment. */
import { existsSync, readFileSync } from "node:fs";
import { isAddress } from "../../core/addresses.js";
import { ApiError } from "../api-client.js";
import { getReadyFilePath } from "../ready-file.js";
import { parseSolToLamports } from "../trade-arguments.js";

export interface DemoConfig {
  readonly api: string;
  readonly admin: string | null;
  readonly mints: Readonly<Record<string, string>>;
  readonly healthy: string;
  readonly honeypot: string;
  readonly buyLamports: bigint;
}

export interface DemoOptions {
  readonly api?: string;
  readonly admin?: string;
  readonly mints?: string;
  readonly ready?: string;
  readonly healthy: string;
  readonly honeypot: string;
  readonly sol: string;
}

export const HELP = `
Where the demo finds things (flags win over --ready, which wins over the environment):
  API     --api URL, else the ready line's "api", else env OSPREY_API_URL, else http://127.0.0.1:3000
  faucet  --admin URL (the sandbox admin base, ".../sandbox"), else the ready line's "admin";
          without one the demo stops after creating the wallet and says how to fund it
  mints   --mints '{"BONKY":"<mint>","FREEZE":"<mint>"}', else the ready line's mints and risky,
          else env OSPREY_MINTS
The ready line is what \`osprey serve --json\` prints; pass it inline or as a file:
  osprey serve --port 0 --json > ready.json &  osprey demo --ready ready.json
(the demo waits up to a minute for the line to appear in the file). Without --ready, the demo
reads $DATA_DIR/ready.json (default ./data/ready.json) when that file exists.
Exit code: 0 the tour completed (or stopped for funding), 1 a step failed or no server answers,
2 bad usage.`;

/** Merges flags, the ready line and the environment into what the tour needs. */
export async function getDemoConfig(
  options: DemoOptions,
  env: NodeJS.ProcessEnv,
): Promise<DemoConfig> {
  const readyFile = getReadyFilePath(env.DATA_DIR);
  const readyFrom = options.ready ?? (existsSync(readyFile) ? readyFile : undefined);
  const ready = readyFrom ? await readReadyLine(readyFrom) : {};
  const mints: Record<string, string> = {
    ...parseMints(env.OSPREY_MINTS, "OSPREY_MINTS"),
    ...parseMints(ready.risky, "the ready line's risky"),
    ...parseMints(ready.mints, "the ready line's mints"),
    ...parseMints(options.mints, "--mints"),
  };
  const api =
    options.api ??
    (typeof ready.api === "string" ? ready.api : undefined) ??
    env.OSPREY_API_URL ??
    "http://127.0.0.1:3000";
  const missing = [options.healthy, options.honeypot].find((symbol) => !mints[symbol]);
  if (missing) {
    // No ready file and no flags most often means that no server runs at all: say that first.
    if (!(await isAnswering(api)))
      throw new ApiError(
        "API_UNREACHABLE",
        `no Osprey server answers at ${api}: start one with \`npm start\` in another terminal, or pass --api URL`,
        null,
      );
    throw new Error(`no mint for ${missing}: pass --mints '{"${missing}":"<mint>"}' or --ready`);
  }
  const admin = options.admin ?? (typeof ready.admin === "string" ? ready.admin : null);
  return {
    api,
    admin,
    mints,
    healthy: options.healthy,
    honeypot: options.honeypot,
    buyLamports: parseSolToLamports(options.sol),
  };
}

/** True when something answers HTTP at the API's liveness route. */
async function isAnswering(api: string): Promise<boolean> {
  try {
    const response = await fetch(`${api.replace(/\/+$/, "")}/healthz`, {
      signal: AbortSignal.timeout(5_000),
    });
    await response.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

/** The ready line inline, or from a file that `serve --json > file &` may still be writing. */
async function readReadyLine(value: string, waitMs = 60_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const text = value.trimStart().startsWith("{") ? value : readFileSync(value, "utf8");
    // The file may hold more of serve's stdout; the ready line is the first complete JSON line.
    const line = text
      .split("\n")
      .find((l, i, all) => l.trimStart().startsWith("{") && i < all.length - 1);
    if (line || text === value || Date.now() > deadline) {
      try {
        return JSON.parse(line ?? text) as Record<string, unknown>;
      } catch {
        throw new Error("--ready is neither the ready line JSON nor a file holding it");
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function parseMints(value: unknown, source: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  const table = typeof value === "string" ? safeJson(value, source) : value;
  const entries = Object.entries(table as Record<string, unknown>);
  for (const [symbol, mint] of entries)
    if (!isAddress(mint)) throw new Error(`${source}: ${symbol} is not a mint address`);
  return Object.fromEntries(entries) as Record<string, string>;
}

function safeJson(text: string, source: string): unknown {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return parsed;
  } catch {}
  throw new Error(`${source} must be JSON like {"BONKY":"<mint>"}`);
}
