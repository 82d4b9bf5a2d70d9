import { mkdir, rm, writeFile } from "node:fs/promises";
import { generateKeyPairSigner } from "@solana/kit";
import type { Command } from "commander";
import { createApp } from "../../app.js";
import { ensureSandboxAutomationKey } from "../../automation/grants/automation-key.js";
import { loadConfig } from "../../config/load-config.js";
import type { Address } from "../../core/addresses.js";
import { printMarketTable } from "../../sandbox/market/market-table.js";
import { ensureWebBundle, type WebBuildResult } from "../../web/build-web.js";
import { parsePort } from "../options.js";
import { getReadyFilePath } from "../ready-file.js";
import { getSandboxPinnedMints } from "../sandbox-pins.js";
import { onShutdown } from "../shutdown.js";
import { type SandboxStack, startSandboxStack } from "../start-sandbox-stack.js";

interface ServeOptions {
  readonly port?: number;
  readonly host?: string;
  readonly json?: boolean;
}

export function registerServeCommand(program: Command): void {
  program
    .command("serve")
    .description("run the whole service (with the built-in sandbox unless SOLANA_RPC_URLS is set)")
    .option("--port <port>", "HTTP port (0 picks free ports for everything)", parsePort)
    .option("--host <host>", "address to listen on")
    .option("--json", "print one JSON ready line on stdout; everything else goes to stderr")
    .action(async (options: ServeOptions) => {
      const config = loadConfig({
        ...process.env,
        ...(options.port !== undefined ? { PORT: String(options.port) } : {}),
        ...(options.host ? { HOST: options.host } : {}),
      });
      // The terminal's bundle, built when its sources changed, alongside the sandbox's start; its
      // messages wait until the URL is printed, which is the first thing `npm start` says.
      const web: Promise<WebBuildResult | Error> = ensureWebBundle().catch((error: unknown) =>
        error instanceof Error ? error : new Error(String(error)),
      );
      let stack: SandboxStack | undefined;
      // The sandbox's commission goes to FEE_WALLET, or to a fresh address the ready line reports.
      const feeWallet =
        config.FEE_WALLET ??
        (config.embeddedChain ? (await generateKeyPairSigner()).address : undefined);
      if (config.embeddedChain) {
        stack = await startSandboxStack({
          host: config.HOST,
          port: options.port === 0 ? 0 : config.SANDBOX_PORT,
          slotMs: config.SANDBOX_SLOT_MS,
          ...(feeWallet ? { feeWallets: [feeWallet] } : {}),
        });
      }
      const sandbox = stack
        ? {
            sandbox: true,
            rpcUrls: stack.ready.rpc,
            swapApiUrl: stack.ready.swapApi,
            priceApiUrl: stack.ready.priceApi,
            pinnedMints: getSandboxPinnedMints(stack.ready.mints),
            ...(feeWallet ? { feeWallet: feeWallet as Address } : {}),
            // MEV protection on `npm start`: the sandbox's block engine and sender.
            ...(stack.ready.blockEngine
              ? {
                  jitoUrls: [stack.ready.blockEngine],
                  tipFloorUrl: `${stack.ready.blockEngine}/api/v1/bundles/tip_floor`,
                }
              : {}),
            ...(stack.ready.sender ? { senderUrls: [stack.ready.sender] } : {}),
          }
        : {};
      // `npm start` has automation: the sandbox's key in DATA_DIR (0600) unless one is configured.
      const app = await (async () => {
        const key =
          stack && !config.AUTOMATION_KEY && !config.AUTOMATION_KEY_FILE
            ? await ensureSandboxAutomationKey(config.DATA_DIR)
            : undefined;
        return createApp(config, { ...sandbox, ...(key ? { automationKey: key } : {}) });
      })().catch(async (error: unknown) => {
        await stack?.close();
        throw error;
      });
      onShutdown(app.logger, async () => {
        await rm(getReadyFilePath(config.DATA_DIR), { force: true });
        await app.close();
        await stack?.close();
      });
      const built = await web;
      const api = await app.listen();
      const ready = {
        api,
        web: `${api}/`,
        ...stack?.ready,
        ...(stack && feeWallet ? { feeWallet } : {}),
      };
      // Also on disk, so `npx osprey demo` (and scripts) find the URLs and mints with no flags.
      const readyFile = getReadyFilePath(config.DATA_DIR);
      await mkdir(config.DATA_DIR, { recursive: true });
      await writeFile(readyFile, `${JSON.stringify(ready)}\n`);
      if (options.json) process.stdout.write(`${JSON.stringify(ready)}\n`);
      else process.stderr.write(`Osprey web terminal: ${ready.web}\n`);
      if (built instanceof Error)
        process.stderr.write(
          `The web terminal could not be built (${built.message}); the API works. \`npm run build:web\` retries.\n`,
        );
      else for (const warning of built.warnings) process.stderr.write(`web build: ${warning}\n`);
      if (!options.json) {
        process.stderr.write(`Osprey is listening on ${api} (API docs: ${api}/docs)\n`);
        const bot = app.telegram?.botUsername();
        if (bot)
          process.stderr.write(
            `Telegram bot @${bot} is running (${config.TELEGRAM_WEBHOOK_URL ? "webhook" : "long polling"}).\n`,
          );
        if (stack) {
          process.stderr.write(
            [
              `Sandbox chain at ${stack.ready.rpc.join(", ")}; swap API at ${stack.ready.swapApi}; faucet: POST ${stack.ready.admin}/airdrop`,
              "Demo tokens (their mints are what `npx osprey check <mint>` and the API take):",
              "",
            ].join("\n"),
          );
          printMarketTable(stack.sandbox.chain, stack.market.market, stack.market.prices);
          process.stderr.write("Next: `npx osprey demo` in another terminal. Ctrl-C stops.\n");
        }
      }
    });
}
