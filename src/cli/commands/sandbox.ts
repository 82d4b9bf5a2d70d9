import type { Command } from "commander";
import { createLogger } from "../../core/logger.js";
import { printMarketTable } from "../../sandbox/market/market-table.js";
import { parseAddressOption, parsePort, parsePositiveInt } from "../options.js";
import { onShutdown } from "../shutdown.js";
import { startSandboxStack } from "../start-sandbox-stack.js";

interface SandboxOptions {
  readonly port: number;
  readonly endpoints: number;
  readonly slotMs: number;
  readonly host?: string;
  readonly json?: boolean;
  readonly feeWallet: string[];
}

/**
 * `osprey sandbox`: the local chain (N RPC endpoints on port, port+2, …; PubSub on each RPC
 * port + 1; admin under /sandbox) plus the demo market and its swap and price APIs.
 */
export function registerSandboxCommand(program: Command): void {
  program
    .command("sandbox")
    .description("run the sandbox alone: local Solana chain (LiteSVM), swap API and demo market")
    .option(
      "--port <port>",
      "first RPC port; endpoint i uses port+2i (PubSub on +1); 0 picks free ports",
      parsePort,
      8899,
    )
    .option(
      "--endpoints <n>",
      "RPC endpoints over the same ledger, each with its own faults",
      parsePositiveInt,
      1,
    )
    .option("--slot-ms <ms>", "slot duration in milliseconds", parsePositiveInt, 400)
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--json", "print one JSON ready line on stdout; everything else goes to stderr")
    .option(
      "--fee-wallet <address>",
      "an operator's fee wallet to open with its wrapped-SOL fee account (repeatable)",
      (value: string, list: string[]) => [...list, parseAddressOption(value)],
      [] as string[],
    )
    .action(async (options: SandboxOptions) => {
      const logger = createLogger({ level: "info", name: "sandbox" });
      const stack = await startSandboxStack({
        port: options.port,
        endpoints: options.endpoints,
        slotMs: options.slotMs,
        ...(options.host ? { host: options.host } : {}),
        feeWallets: options.feeWallet,
        onError: (error) => logger.error({ err: error }, "sandbox market error"),
      });
      onShutdown(logger, () => stack.close());
      if (options.json) {
        process.stdout.write(`${JSON.stringify(stack.ready)}\n`);
        return;
      }
      const { ready } = stack;
      const lines = [
        `Sandbox chain (LiteSVM), ${options.slotMs} ms slots`,
        ...ready.rpc.map((rpc, i) => `  endpoint ${i}: RPC ${rpc}  PubSub ${ready.ws[i] ?? "?"}`),
        `  admin:    ${ready.admin}  (POST /faults, /clock, /airdrop, /accounts, /snapshot, /restore)`,
        `  swap API: ${ready.swapApi}   price API: ${ready.priceApi}`,
        `  tokens:   ${Object.keys(ready.mints).join(", ")}; risky: ${Object.keys(ready.risky).join(", ")}`,
        "Ctrl-C stops it.",
      ];
      process.stderr.write(`${lines.join("\n")}\n\n`);
      printMarketTable(stack.sandbox.chain, stack.market.market, stack.market.prices);
    });
}
