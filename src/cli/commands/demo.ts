import type { Command } from "commander";
import { ApiError } from "../api-client.js";
import { EXIT_FAILED, EXIT_USAGE } from "../trade-arguments.js";
import { type DemoConfig, type DemoOptions, getDemoConfig, HELP } from "./demo-config.js";
import { runDemo } from "./demo-tour.js";

export function registerDemoCommand(program: Command): void {
  program
    .command("demo")
    .description("narrated tour against a running service: wallet, safety checks, buy, sell, P&L")
    .option("--api <url>", "the Osprey API")
    .option("--admin <url>", "the sandbox admin base URL, used to fund the demo wallet")
    .option("--mints <json>", "symbol → mint map as JSON")
    .option(
      "--ready <json-or-file>",
      "the ready line of `osprey serve --json`, or a file holding it",
    )
    .option("--healthy <symbol>", "the token to buy and sell", "BONKY")
    .option("--honeypot <symbol>", "the token that must be refused", "FREEZE")
    .option("--sol <amount>", "SOL to spend on the healthy token", "0.5")
    .addHelpText("after", HELP)
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : EXIT_USAGE))
    .action(async (options: DemoOptions, command: Command) => {
      let config: DemoConfig;
      try {
        config = await getDemoConfig(options, process.env);
      } catch (error) {
        if (error instanceof ApiError) {
          process.stderr.write(`osprey demo: ${error.code}: ${error.message}\n`);
          process.exitCode = EXIT_FAILED;
          return;
        }
        command.error(`error: ${error instanceof Error ? error.message : String(error)}`, {
          exitCode: EXIT_USAGE,
        });
        return;
      }
      process.exitCode = await runDemo(config, (line) => process.stdout.write(`${line}\n`));
    });
}
