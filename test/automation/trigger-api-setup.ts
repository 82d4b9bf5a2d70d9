import { randomBytes } from "node:crypto";
import type { TriggerType } from "../../src/automation/triggers/trigger-types.js";
import { createUuidV7, type UserId, type WalletId } from "../../src/core/ids.js";
import { createPriceBatch } from "../../src/swap/price-batch.js";
import { createHttpClient, type HttpResult, type Json } from "../support/http-client.js";
import type { TestServer, Trader, TradingSandbox } from "../trading/trading-setup.js";

/** Automation on (a key), and DCA intervals short enough for a test. */
export const TRIGGER_APP_ENV = {
  AUTOMATION_KEY: randomBytes(32).toString("base64"),
  TRIGGER_DCA_MIN_INTERVAL_SECONDS: "2",
  // These tests read back what the API wrote: the runner's ticks (a DCA due at once, a trailing
  // stop's high-water) would move the triggers under them. Firing has its own tests (fire-*).
  TRIGGER_PRICE_INTERVAL_MS: "3600000",
};

export const ALL_TYPES: TriggerType[] = [
  "limit_buy",
  "take_profit",
  "stop_loss",
  "trailing_stop",
  "dca",
];
export const SOL = 1_000_000_000n;

export async function userIdOf(server: TestServer, walletId: string): Promise<UserId> {
  const row = await server.app.store.database.db
    .selectFrom("wallets")
    .select("userId")
    .where("id", "=", walletId)
    .executeTakeFirstOrThrow();
  return row.userId as UserId;
}

/**
 * An ACTIVE grant row written straight through the store (its key box is a placeholder: these
 * tests never sign), as the grant service would after checking the password.
 */
export async function grantFor(
  server: TestServer,
  trader: Trader,
  limits: { orderTypes?: TriggerType[]; maxOrderLamports?: bigint; expiresAt?: number } = {},
) {
  const { grant } = await server.app.store.automationGrants.create({
    id: createUuidV7(),
    userId: await userIdOf(server, trader.walletId),
    walletId: trader.walletId as WalletId,
    publicKey: trader.publicKey,
    maxOrderLamports: limits.maxOrderLamports ?? SOL,
    maxDailyLamports: 10n * SOL,
    orderTypes: limits.orderTypes ?? ALL_TYPES,
    expiresAt: limits.expiresAt ?? Date.now() + 86_400_000,
    sealedKey: "{}",
  });
  return grant;
}

/** The trigger routes for one trader. */
export function triggerClient(url: string, trader: Trader) {
  const http = createHttpClient(url);
  return {
    create: (body: Record<string, unknown>): Promise<HttpResult> =>
      http.call("POST", "/v1/triggers", { walletId: trader.walletId, ...body }, trader.headers),
    get: (id: string) => http.call("GET", `/v1/triggers/${id}`, undefined, trader.headers),
    list: (query = "") => http.call("GET", `/v1/triggers${query}`, undefined, trader.headers),
    cancel: (id: string) => http.call("DELETE", `/v1/triggers/${id}`, undefined, trader.headers),
  };
}

/** Every trigger row in the database: a refusal must leave it unchanged. */
export async function countTriggers(server: TestServer): Promise<number> {
  const row = await server.app.store.database.db
    .selectFrom("triggers")
    .select((eb) => eb.fn.countAll<string | number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Buys `lamports` of `mint` through the order engine and waits until it is CONFIRMED. */
export async function buy(
  trader: Trader,
  mint: string,
  lamports: bigint,
  key: string,
): Promise<Json> {
  const placed = await trader.order(
    { side: "buy", mint, amountLamports: lamports.toString() },
    key,
  );
  if (placed.status !== 202 && placed.status !== 200)
    throw new Error(`buy refused: ${placed.text}`);
  const order = await trader.settle(String(placed.body.id));
  if (order.status !== "CONFIRMED") throw new Error(`buy ended ${String(order.status)}`);
  return order;
}

/** USD per whole token from the sandbox's price API (what the service reads). */
export async function priceOf(sandbox: TradingSandbox, mint: string): Promise<number> {
  const price = (await createPriceBatch({ baseUrl: sandbox.stack.ready.priceApi })([mint])).get(
    mint,
  );
  if (price === undefined) throw new Error(`no price for ${mint}`);
  return price;
}
