import { Command } from "commander";
import { isOspreyError } from "../core/osprey-error.js";

type Register = (program: Command) => void;

// Each command loads only its own code: `osprey users create` need not compile the sandbox.
const COMMANDS: Record<string, () => Promise<Register>> = {
  serve: async () => (await import("./commands/serve.js")).registerServeCommand,
  sandbox: async () => (await import("./commands/sandbox.js")).registerSandboxCommand,
  users: async () => (await import("./commands/users.js")).registerUsersCommand,
  wallets: async () => (await import("./commands/wallets.js")).registerWalletsCommand,
  rpc: async () => (await import("./commands/rpc.js")).registerRpcCommand,
  check: async () => (await import("./commands/check.js")).registerCheckCommand,
  demo: async () => (await import("./commands/demo.js")).registerDemoCommand,
  trade: async () => (await import("./commands/trade.js")).registerTradeCommands,
};
// Sub-commands registered together by one module.
const ALIASES: Record<string, string> = {
  buy: "trade",
  sell: "trade",
  orders: "trade",
  positions: "trade",
};

/** The `osprey` command with the sub-commands `argv` needs (all of them for help). */
export async function createProgram(argv: readonly string[] = process.argv): Promise<Command> {
  const program = new Command("osprey")
    .description("Osprey: a self-hostable Solana trading service")
    .version("0.1.0")
    .showHelpAfterError();
  const wanted = argv[2] && (ALIASES[argv[2]] ?? argv[2]);
  const names = wanted && Object.hasOwn(COMMANDS, wanted) ? [wanted] : Object.keys(COMMANDS);
  for (const name of names) (await (COMMANDS[name] as () => Promise<Register>)())(program);
  return program;
}

createProgram()
  .then((program) => program.parseAsync(process.argv))
  .catch((error: unknown) => {
    // Expected failures (bad config, a port in use) get one readable line, not a stack trace.
    if (isOspreyError(error)) process.stderr.write(`osprey: ${error.code}: ${error.message}\n`);
    else if (error instanceof Error) process.stderr.write(`osprey: ${error.message}\n`);
    else process.stderr.write(`osprey: ${String(error)}\n`);
    process.exit(1);
  });
