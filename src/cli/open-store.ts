import type { Config } from "../config/config-schema.js";
import { loadConfig } from "../config/load-config.js";
import { systemClock } from "../core/clock.js";
import { OspreyError } from "../core/osprey-error.js";
import { createServices } from "../create-services.js";
import { createMemoryKvStore } from "../kv/memory-kv-store.js";
import { createDatabase } from "../store/database.js";
import type { User } from "../store/repositories/users-repository.js";
import { createStore } from "../store/store.js";

/**
 * For administrative commands that work on the configured database directly, without the
 * server. Sessions are not opened here, so an in-process kv store is enough.
 */
export async function openStore(config: Config = loadConfig()) {
  const database = await createDatabase(config.database, {
    sqliteLockWaitMs: config.SQLITE_LOCK_WAIT_MS,
  });
  const store = createStore(database, systemClock);
  const kv = createMemoryKvStore();
  const services = createServices(config, store, kv, systemClock);
  return {
    config,
    store,
    ...services,
    async findUser(username: string): Promise<User> {
      const user = await store.users.findByUsername(username);
      if (!user) throw new OspreyError("NOT_FOUND", `No user named ${username}.`);
      return user;
    },
    async close() {
      await kv.close();
      await database.close();
    },
  };
}
