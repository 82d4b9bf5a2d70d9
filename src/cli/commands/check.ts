import { createSolanaRpcFromTransport } from "@solana/kit";
import type { Command } from "commander";
import { parseRpcEndpoints } from "../../chain/parse-rpc-endpoints.js";
import { createRpcPool } from "../../chain/rpc-pool.js";
import { systemTimers } from "../../chain/timers.js";
import { type Environment, readEnvironment } from "../../config/load-config.js";
import { systemClock } from "../../core/index.js";
import { isOspreyError } from "../../core/osprey-error.js";
import { getAllowListEntries } from "../../safety/get-allow-list-entries.js";
import {
  ALLOW_LIST_ENV,
  createTokenAnalyzer,
  type SafetyReport,
  toSafetyReportJson,
  type Verdict,
} from "../../safety/index.js";
import { createSwapClient } from "../../swap/index.js";
import { parsePositiveInt } from "../options.js";
import { readReadySandbox } from "../ready-file.js";
import { getSandboxPinnedMints } from "../sandbox-pins.js";

interface CheckOptions {
  readonly rpc?: string;
  readonly swapApi?: string;
  readonly json?: boolean;
  readonly timeout: number;
}

/** The sandbox's defaults: `osprey sandbox` then `osprey check <mint>` just works. */
const DEFAULT_RPC_URLS = "http://127.0.0.1:8899";
const DEFAULT_SWAP_API = "http://127.0.0.1:8897/swap/v1";
const EXIT_CODES: Readonly<Record<Verdict, number>> = { ok: 0, warn: 1, block: 2 };
const EXIT_ERROR = 3;

export function registerCheckCommand(program: Command): void {
  program
    .command("check")
    .description(
      "token safety report: honeypot and rug checks (exit 0 ok, 1 warn, 2 block, 3 error)",
    )
    .argument("<mint>", "the token's mint address")
    .option(
      "--rpc <urls>",
      "RPC endpoints as in SOLANA_RPC_URLS (default: env, else the sandbox of a running serve, else 127.0.0.1:8899)",
    )
    .option(
      "--swap-api <url>",
      "Jupiter swap API base (default: JUPITER_API_URL, else the running serve's sandbox, else 127.0.0.1:8897)",
    )
    .option("--timeout <ms>", "per-request timeout in ms", parsePositiveInt, 10_000)
    .option("--json", "print exactly one JSON object (the report, or {error})")
    .action(async (mint: string, options: CheckOptions) => {
      try {
        const report = await runCheck(mint, options);
        process.stdout.write(
          options.json
            ? `${JSON.stringify(toSafetyReportJson(report))}\n`
            : formatSafetyReport(report),
        );
        process.exitCode = EXIT_CODES[report.verdict];
      } catch (error) {
        const code = isOspreyError(error) ? error.code : "INTERNAL";
        const message = error instanceof Error ? error.message : String(error);
        if (options.json) process.stdout.write(`${JSON.stringify({ error: { code, message } })}\n`);
        else process.stderr.write(`osprey check: ${code}: ${message}\n`);
        process.exitCode = EXIT_ERROR;
      }
    });
}

/** Where `check` looks: flags, then the environment (and .env), then a running server's sandbox. */
export function getCheckTargets(options: CheckOptions, env: Environment) {
  const ready = readReadySandbox(env);
  const rpc =
    options.rpc ?? env.SOLANA_RPC_URLS ?? (ready ? ready.rpc.join(",") : DEFAULT_RPC_URLS);
  const swapApi = options.swapApi ?? env.JUPITER_API_URL ?? ready?.swapApi ?? DEFAULT_SWAP_API;
  const endpoints = parseRpcEndpoints(rpc);
  // The server pins its sandbox's stable; so does check when it reads that same sandbox. Any
  // other chain (mainnet) gets the built-in list and the operator's file only.
  const onServerSandbox =
    ready !== null && endpoints.some((endpoint) => ready.rpc.includes(endpoint.url));
  return {
    endpoints,
    swapApi,
    pinnedMints: onServerSandbox ? getSandboxPinnedMints(ready.mints) : {},
  };
}

export async function runCheck(
  mint: string,
  options: CheckOptions,
  env: Environment = readEnvironment(),
): Promise<SafetyReport> {
  const targets = getCheckTargets(options, env);
  const pool = createRpcPool({
    endpoints: targets.endpoints,
    clock: systemClock,
    random: Math.random,
    timers: systemTimers,
    timeoutMs: options.timeout,
  });
  const rpc = createSolanaRpcFromTransport(pool.transport);
  const apiKey = env.JUPITER_API_KEY;
  const analyzer = createTokenAnalyzer({
    rpc,
    swapClient: createSwapClient({
      baseUrl: targets.swapApi,
      clock: systemClock,
      timeoutMs: options.timeout,
      ...(apiKey ? { apiKey } : {}),
    }),
    clock: systemClock,
    allowList: await getAllowListEntries({
      rpc,
      file: env[ALLOW_LIST_ENV],
      pinnedMints: targets.pinnedMints,
    }),
  });
  return analyzer.analyzeToken(mint, { fresh: true });
}

const MARKS = { pass: "ok  ", warn: "WARN", fail: "FAIL", unknown: "??  " } as const;

/** The report for people: a headline, then one line per check, the worst first. */
export function formatSafetyReport(report: SafetyReport): string {
  const order = { fail: 0, warn: 1, unknown: 2, pass: 3 } as const;
  const checks = [...report.checks].sort((a, b) => order[a.status] - order[b.status]);
  const width = Math.max(...checks.map((c) => c.id.length));
  const title = [report.symbol, report.name].filter(Boolean).join(" — ") || "(no name)";
  const lines = [
    `${title}  ${report.mint}  (${report.program}, ${report.decimals} decimals)`,
    `verdict: ${report.verdict.toUpperCase()}   risk score: ${report.score}/100   slot ${report.slot}`,
    "",
    ...checks.map((c) => `  ${MARKS[c.status]}  ${c.id.padEnd(width)}  ${c.detail}`),
  ];
  return `${lines.join("\n")}\n`;
}
