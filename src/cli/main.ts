import { Command } from "commander";
import { isOspreyError } from "../core/osprey-error.js";
import { registerRpcCommand } from "./commands/rpc.js";
import { registerSandboxCommand } from "./commands/sandbox.js";
import { registerServeCommand } from "./commands/serve.js";
import { registerUsersCommand } from "./commands/users.js";

/** The `osprey` command: every sub-command registers itself here. */
export function createProgram(): Command {
  const program = new Command("osprey")
    .description("Osprey: a self-hostable Solana trading service")
    .version("0.1.0")
    .showHelpAfterError();
  registerServeCommand(program);
  registerUsersCommand(program);
  registerRpcCommand(program);
  registerSandboxCommand(program);
  return program;
}

createProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    // Expected failures (bad config, a port in use) get one readable line, not a stack trace.
    if (isOspreyError(error)) process.stderr.write(`osprey: ${error.code}: ${error.message}\n`);
    else if (error instanceof Error) process.stderr.write(`osprey: ${error.message}\n`);
    else process.stderr.write(`osprey: ${String(error)}\n`);
    process.exit(1);
  });
