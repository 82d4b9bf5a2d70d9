import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { type App, type AppOptions, createApp } from "../../src/app.js";
import { parseConfig } from "../../src/config/load-config.js";
import { createLogger } from "../../src/core/logger.js";
import { ARGON2_FLOOR_ENV } from "./argon2-floor.js";

/** Everything the service logged, to search for leaks or check what was said. */
export function createLogCapture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { destination, text: () => lines.join("") };
}

/** A real app on a fresh SQLite file and an ephemeral port, with its logs captured. */
export async function startTestApp(env: Record<string, string> = {}, options: AppOptions = {}) {
  const dir = mkdtempSync(join(tmpdir(), "osprey-app-"));
  const logs = createLogCapture();
  const config = parseConfig({
    DATA_DIR: dir,
    PORT: "0",
    LOG_LEVEL: "info",
    ...ARGON2_FLOOR_ENV,
    ...env,
  });
  const app: App = await createApp(config, {
    logger: createLogger({ level: "info", destination: logs.destination }),
    ...options,
  });
  const url = await app.listen();
  return {
    app,
    url,
    logs,
    dataDir: dir,
    async close() {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
