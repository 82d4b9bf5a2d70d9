import type { Command } from "commander";
import { createApp } from "../../app.js";
import { loadConfig } from "../../config/load-config.js";
import { parsePort } from "../options.js";
import { onShutdown } from "../shutdown.js";

interface ServeOptions {
  readonly port?: number;
  readonly host?: string;
  readonly json?: boolean;
}

export function registerServeCommand(program: Command): void {
  program
    .command("serve")
    .description("run the whole service (on the embedded defaults unless configured otherwise)")
    .option("--port <port>", "HTTP port (0 picks a free one)", parsePort)
    .option("--host <host>", "address to listen on")
    .option("--json", "print one JSON ready line on stdout; everything else goes to stderr")
    .action(async (options: ServeOptions) => {
      const config = loadConfig({
        ...process.env,
        ...(options.port !== undefined ? { PORT: String(options.port) } : {}),
        ...(options.host ? { HOST: options.host } : {}),
      });
      const app = await createApp(config);
      onShutdown(app.logger, () => app.close());
      const api = await app.listen();
      if (options.json) process.stdout.write(`${JSON.stringify({ api })}\n`);
      else process.stderr.write(`Osprey is listening on ${api} (API docs: ${api}/docs)\n`);
    });
}
