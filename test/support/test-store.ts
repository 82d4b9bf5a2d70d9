import { afterAll, beforeAll } from "vitest";
import type { Address } from "../../src/core/addresses.js";
import type { Clock } from "../../src/core/clock.js";
import type { UserId, WalletId } from "../../src/core/ids.js";
import type { Database } from "../../src/store/database.js";
import { createStore, type Store } from "../../src/store/store.js";
import type { TestDatabase } from "./databases.js";

const PUBLIC_KEY = "4Nd1mBQtrMJVYVfKf2PJy9NZUZdTAsp7D4xWLs4gDB4T" as Address;

/**
 * A store on one fresh database for every test of the enclosing describe block, closed and
 * dropped after them. Read `database` and `store` inside the tests.
 */
export function useTestStore(testDb: TestDatabase, clock: Clock) {
  let database: (Database & { schema?: string }) | undefined;
  let store: Store | undefined;
  beforeAll(async () => {
    database = await testDb.open();
    store = createStore(database, clock);
  });
  afterAll(async () => {
    await database?.close();
    await testDb.cleanup();
  });
  const opened = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the test store is opened in beforeAll");
    return value;
  };
  return {
    get database() {
      return opened(database);
    },
    get store() {
      return opened(store);
    },
  };
}

/** A user with one wallet (a placeholder envelope): what order rows need to point at. */
export async function createUserWithWallet(
  store: Store,
  username: string,
): Promise<{ userId: UserId; walletId: WalletId }> {
  const user = await store.users.create({ username, passwordHash: "h" });
  const wallet = await store.wallets.create({
    userId: user.id,
    label: "main",
    publicKey: PUBLIC_KEY,
    envelope: "{}",
  });
  return { userId: user.id, walletId: wallet.id };
}
