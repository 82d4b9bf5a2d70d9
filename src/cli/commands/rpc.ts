import type { Command } from "commander";
import { parseRpcEndpoints } from "../../chain/parse-rpc-endpoints.js";
import { type EndpointProbe, probeEndpoints } from "../../chain/probe-endpoints.js";
import { createRpcPool } from "../../chain/rpc-pool.js";
import { systemTimers } from "../../chain/timers.js";
import { systemClock } from "../../core/index.js";

interface RpcStatusOptions {
  readonly rpc?: string;
  readonly json?: boolean;
  readonly timeout?: string;
}

/** The sandbox's default endpoint: `osprey sandbox` then `osprey rpc status` just works. */
const DEFAULT_RPC_URLS = "http://127.0.0.1:8899";

export function registerRpcCommand(program: Command): void {
  const rpc = program.command("rpc").description("inspect the Solana RPC endpoints");
  rpc
    .command("status")
    .description("probe each endpoint (getHealth, getSlot) and print its state, latency and errors")
    .option("--rpc <urls>", "endpoints as in SOLANA_RPC_URLS: url[|weight[|wsUrl]],…")
    .option("--timeout <ms>", "per-request timeout in ms", "5000")
    .option("--json", "print the report as JSON")
    .action(async (options: RpcStatusOptions) => {
      const probes = await getRpcStatus(
        options.rpc ?? process.env.SOLANA_RPC_URLS ?? DEFAULT_RPC_URLS,
        Number(options.timeout ?? 5000),
      );
      process.stdout.write(options.json ? `${toJson(probes)}\n` : formatTable(probes));
      // Exit 1 when no endpoint answered: scripts can gate on it.
      if (!probes.some((probe) => probe.healthy)) process.exitCode = 1;
    });
}

export async function getRpcStatus(urls: string, timeoutMs: number): Promise<EndpointProbe[]> {
  const pool = createRpcPool({
    endpoints: parseRpcEndpoints(urls),
    clock: systemClock,
    random: Math.random,
    timers: systemTimers,
    timeoutMs,
  });
  return probeEndpoints(pool, systemClock);
}

function toJson(probes: readonly EndpointProbe[]): string {
  return JSON.stringify(
    probes.map((probe) => ({
      ...probe,
      latencyMs: probe.latencyMs === undefined ? null : Math.round(probe.latencyMs),
    })),
    (_, value: unknown) => (typeof value === "bigint" ? value.toString() : value),
  );
}

function formatTable(probes: readonly EndpointProbe[]): string {
  const rows = probes.map((probe) => [
    probe.endpoint,
    probe.healthy ? "healthy" : "unhealthy",
    probe.state.kind,
    probe.slot === undefined ? "-" : String(probe.slot),
    probe.latencyMs === undefined ? "-" : `${Math.round(probe.latencyMs)} ms`,
    `${probe.errors}/${probe.requests}`,
    probe.probeError ?? "",
  ]);
  const header = ["ENDPOINT", "HEALTH", "CIRCUIT", "SLOT", "LATENCY", "ERRORS", "LAST ERROR"];
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => (row[i] ?? "").length)),
  );
  const line = (cells: readonly string[]) =>
    `${cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd()}\n`;
  return line(header) + rows.map(line).join("");
}
