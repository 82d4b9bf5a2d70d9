import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RouteModule, ZodApp } from "../../src/api/api-types.js";
import { createApiServer } from "../../src/api/create-api-server.js";
import { parseConfig } from "../../src/config/load-config.js";
import { systemClock } from "../../src/core/clock.js";
import { createLogger, type Logger } from "../../src/core/logger.js";
import type { KvStore } from "../../src/kv/kv-store.js";
import { createMemoryKvStore } from "../../src/kv/memory-kv-store.js";
import { createMetricsRegistry } from "../../src/metrics/metrics-registry.js";
import { createDatabase, type Database } from "../../src/store/database.js";

export interface BareApiOptions {
  readonly routes?: readonly RouteModule[];
  /** Default: a fresh in-memory store. */
  readonly kv?: KvStore;
  /** Default: silent. */
  readonly logger?: Logger;
}

export interface BareApi {
  readonly app: ZodApp;
  readonly database: Database;
  readonly kv: KvStore;
  /** Closes the app and the database and removes the SQLite file. */
  close(): Promise<void>;
}

/**
 * The HTTP layer alone (createApiServer) over a fresh SQLite file and a memory kv store, with the
 * given routes: for tests of the server's own behaviour rather than of Osprey's services.
 */
export async function createBareApi(options: BareApiOptions = {}): Promise<BareApi> {
  const dir = mkdtempSync(join(tmpdir(), "osprey-api-"));
  const config = parseConfig({ DATA_DIR: dir });
  const database = await createDatabase(config.database);
  const kv = options.kv ?? createMemoryKvStore();
  const removeAll = async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  };
  let app: ZodApp;
  try {
    app = await createApiServer(
      {
        config,
        database,
        kv,
        registry: createMetricsRegistry({ defaultMetrics: false }),
        clock: systemClock,
      },
      {
        logger: options.logger ?? createLogger({ level: "silent" }),
        routes: options.routes ?? [],
      },
    );
  } catch (error) {
    await removeAll();
    throw error;
  }
  return {
    app,
    database,
    kv,
    async close() {
      await app.close();
      await removeAll();
    },
  };
}
