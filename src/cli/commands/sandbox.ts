import { type Command, InvalidArgumentError } from "commander";
import { createLogger } from "../../core/logger.js";
import type { AccountFixtureSource } from "../../sandbox/admin/load-account-fixtures.js";
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
  readonly market: boolean;
  readonly account: string[];
  readonly accountDir: string[];
  readonly ledger?: string;
  readonly startSlot?: bigint;
  readonly blockEngine: boolean;
}

/** Slots start apart from block heights (as on mainnet) unless the sandbox plays a fresh test validator. */
const DEFAULT_START_SLOT = 1000n;
/** Cap on --start-slot: far beyond any real cluster, and epoch math stays in range. */
const MAX_START_SLOT = 1n << 48n;

function parseSlot(value: string): bigint {
  if (!/^\d+$/.test(value) || BigInt(value) > MAX_START_SLOT) {
    throw new InvalidArgumentError(`not a slot (0..${MAX_START_SLOT}): ${value}`);
  }
  return BigInt(value);
}

/** `--account <ADDRESS> <FILE>` arrives as a flat list (variadic option): pair it up. */
function getAccountSources(values: readonly string[]): AccountFixtureSource[] {
  if (values.length % 2 !== 0) {
    throw new InvalidArgumentError("--account takes an address (or -) and a file");
  }
  const sources: AccountFixtureSource[] = [];
  for (let i = 0; i < values.length; i += 2) {
    const address = values[i] as string;
    sources.push({
      address: address === "-" ? address : parseAddressOption(address),
      file: values[i + 1] as string,
    });
  }
  return sources;
}

/**
 * `osprey sandbox`: the local chain (N RPC endpoints on port, port+2, …; PubSub on each RPC
 * port + 1; admin under /sandbox) plus, unless --no-market, the demo market and its swap and
 * price APIs.
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
    .option(
      "--no-market",
      "start without the demo market: only what a fresh solana-test-validator holds plus the " +
        "accounts loaded; no pools, so no swap or price API either",
    )
    .option(
      "--account <address-and-file...>",
      "load an account from a solana-test-validator JSON fixture: --account <ADDRESS|-> <FILE> " +
        "(repeatable; - takes the file's pubkey)",
      (value: string, list: string[]) => [...list, value],
      [] as string[],
    )
    .option(
      "--account-dir <dir>",
      "load every *.json account fixture in a directory (repeatable)",
      (value: string, list: string[]) => [...list, value],
      [] as string[],
    )
    .option(
      "--ledger <dir>",
      "a test validator's ledger directory: reuse (or create) its validator, vote account and " +
        "faucet keypairs and write validator.log there",
    )
    .option(
      "--no-block-engine",
      "start without the Jito-compatible block engine and the sender (private landing routes)",
    )
    .option(
      "--start-slot <slot>",
      "first slot (default 1000, or 0 with --no-market as a fresh solana-test-validator)",
      parseSlot,
    )
    .action(async (options: SandboxOptions) => {
      const logger = createLogger({ level: "info", name: "sandbox" });
      const stack = await startSandboxStack({
        port: options.port,
        endpoints: options.endpoints,
        slotMs: options.slotMs,
        ...(options.host ? { host: options.host } : {}),
        feeWallets: options.feeWallet,
        market: options.market,
        fixtures: { accounts: getAccountSources(options.account), dirs: options.accountDir },
        ...(options.ledger ? { ledger: options.ledger } : {}),
        startSlot: options.startSlot ?? (options.market ? DEFAULT_START_SLOT : 0n),
        blockEngine: options.blockEngine,
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
        `  admin:    ${ready.admin}  (POST /faults, /clock, /airdrop, /accounts, /snapshot, /restore; GET /sends)`,
        ...(ready.blockEngine
          ? [
              `  block engine: ${ready.blockEngine}/api/v1/bundles (Jito)   sender: ${ready.sender ?? "?"}`,
            ]
          : []),
        `  validator: ${ready.identity} (vote account ${ready.voteAccount})`,
        ...(options.ledger ? [`  ledger:   ${options.ledger} (keypairs, validator.log)`] : []),
      ];
      if (stack.market !== null) {
        const { swapApi, priceApi, mints, risky } = stack.ready;
        lines.push(
          `  swap API: ${swapApi}   price API: ${priceApi}`,
          `  tokens:   ${Object.keys(mints).join(", ")}; risky: ${Object.keys(risky).join(", ")}`,
        );
      } else {
        lines.push("  no demo market (--no-market): no pools, no swap or price API");
      }
      lines.push("Ctrl-C stops it.");
      process.stderr.write(`${lines.join("\n")}\n\n`);
      if (stack.market !== null) {
        printMarketTable(stack.sandbox.chain, stack.market.market, stack.market.prices);
      }
    });
}
