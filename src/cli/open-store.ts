import { createAccountService } from "../accounts/account-service.js";
import { createPasswordHasher } from "../accounts/password-hasher.js";
import type { Config } from "../config/config-schema.js";
import { loadConfig } from "../config/load-config.js";
import { systemClock } from "../core/clock.js";
import { createDatabase } from "../store/database.js";
import { createStore } from "../store/store.js";
import { createKdfLimiter } from "../wallet/kdf-limiter.js";

/** For administrative commands that work on the configured database directly, without the server. */
export async function openStore(config: Config = loadConfig()) {
  const database = await createDatabase(config.database);
  const store = createStore(database, systemClock);
  const accounts = createAccountService({
    store,
    clock: systemClock,
    hasher: createPasswordHasher({
      limiter: createKdfLimiter({ maxConcurrent: config.KDF_MAX_CONCURRENT }),
    }),
  });
  return { config, store, accounts, close: () => database.close() };
}
