import { address } from "@solana/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getHttpStatus } from "../../src/core/error-codes.js";
import type { UserId } from "../../src/core/ids.js";
import { createLogger } from "../../src/core/logger.js";
import type { OrderStatus } from "../../src/core/order-status.js";
import { isOspreyError } from "../../src/core/osprey-error.js";
import type { Store } from "../../src/store/store.js";
import { createOrderEngine } from "../../src/trading/order-engine.js";
import { createPriceClient } from "../../src/trading/price-client.js";
import {
  createTrader,
  startTradingSandbox,
  type TestServer,
  type TradingSandbox,
} from "./trading-setup.js";

/** The app's store, except that recording `failing` throws as a lost database would. */
function withFailingTransition(store: Store, failing: OrderStatus): Store {
  const orders: Store["orders"] = {
    ...store.orders,
    transition: (id, from, to, patch, detail) =>
      to === failing
        ? Promise.reject(new Error("connection lost"))
        : store.orders.transition(id, from, to, patch, detail),
  };
  return { ...store, orders };
}

describe("refusing to sign what cannot be recorded", () => {
  let sandbox: TradingSandbox;
  let server: TestServer;

  beforeAll(async () => {
    sandbox = await startTradingSandbox();
    server = await sandbox.startApp();
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await sandbox?.close();
  });

  it("answers 503 and sends nothing when the signed swap cannot be stored", async () => {
    const { app } = server;
    const trader = await createTrader(sandbox, server.url, "unlucky");
    const user = await app.store.users.findByUsername("unlucky");
    if (!app.chain || !app.analyzer || !user) throw new Error("the app has no chain");
    const engine = createOrderEngine({
      store: withFailingTransition(app.store, "SIGNED"),
      sessions: app.sessions,
      chain: app.chain,
      swapClient: app.swapClient,
      analyzer: app.analyzer,
      prices: createPriceClient({ baseUrl: sandbox.stack.ready.priceApi }),
      clock: { now: () => Date.now() },
      logger: createLogger({ level: "silent" }),
      feeWallet: null,
      feeBps: 85,
    });
    const error = await engine
      .placeOrder({
        userId: user.id as UserId,
        sessionToken: trader.headers["x-trading-session"] ?? "",
        idempotencyKey: "db-down",
        body: { side: "buy", mint: sandbox.stack.ready.mints.BONKY, amountLamports: "10000000" },
      })
      .catch((caught: unknown) => caught);
    expect(isOspreyError(error, "DATABASE_UNAVAILABLE")).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const history = sandbox.stack.sandbox.chain.getTransactionsForAddress(
      address(trader.publicKey),
    );
    expect(history).toHaveLength(1); // the airdrop only: the signed bytes were never sent
    const [order] = (await trader.get("/v1/orders")).body.orders as {
      status: string;
      signature: null;
    }[];
    expect(order).toMatchObject({ status: "REJECTED", signature: null });
  }, 60_000);

  it("maps a lost database to DATABASE_UNAVAILABLE (503) before anything is quoted", async () => {
    const { app } = server;
    const trader = await createTrader(sandbox, server.url, "offline");
    const user = await app.store.users.findByUsername("offline");
    if (!app.chain || !app.analyzer || !user) throw new Error("the app has no chain");
    const lost = () => Promise.reject(new Error("connection lost"));
    const store: Store = {
      ...app.store,
      orders: { ...app.store.orders, findByIdempotencyKey: lost, createPending: lost },
    };
    const engine = createOrderEngine({
      store,
      sessions: app.sessions,
      chain: app.chain,
      swapClient: app.swapClient,
      analyzer: app.analyzer,
      prices: createPriceClient({ baseUrl: sandbox.stack.ready.priceApi }),
      clock: { now: () => Date.now() },
      logger: createLogger({ level: "silent" }),
      feeWallet: null,
      feeBps: 85,
    });
    const error = await engine
      .placeOrder({
        userId: user.id as UserId,
        sessionToken: trader.headers["x-trading-session"] ?? "",
        idempotencyKey: "db-closed",
        body: { side: "buy", mint: sandbox.stack.ready.mints.BONKY, amountLamports: "10000000" },
      })
      .catch((caught: unknown) => caught);
    expect(isOspreyError(error, "DATABASE_UNAVAILABLE")).toBe(true);
    expect(getHttpStatus("DATABASE_UNAVAILABLE")).toBe(503);
    const history = sandbox.stack.sandbox.chain.getTransactionsForAddress(
      address(trader.publicKey),
    );
    expect(history).toHaveLength(1);
  }, 60_000);
});
