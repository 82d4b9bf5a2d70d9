import { address } from "@solana/kit";
import { describe, expect, it } from "vitest";
import { getHttpStatus } from "../../src/core/error-codes.js";
import type { UserId } from "../../src/core/ids.js";
import { createLogger } from "../../src/core/logger.js";
import type { OrderStatus } from "../../src/core/order-status.js";
import { isOspreyError } from "../../src/core/osprey-error.js";
import type { Store } from "../../src/store/store.js";
import { createOrderEngine } from "../../src/trading/order-engine.js";
import { createPriceClient } from "../../src/trading/price-client.js";
import { createTrader, useTradingApp } from "./trading-setup.js";

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
  const env = useTradingApp();

  /** A buy through an engine on the app's services but `broken`'s version of its store. */
  async function buyWithBrokenStore(
    username: string,
    broken: (store: Store) => Store,
  ): Promise<{ error: unknown; trader: Awaited<ReturnType<typeof createTrader>> }> {
    const { app } = env.server;
    const trader = await createTrader(env.sandbox, env.server.url, username);
    const user = await app.store.users.findByUsername(username);
    if (!app.chain || !app.analyzer || !user) throw new Error("the app has no chain");
    const engine = createOrderEngine({
      store: broken(app.store),
      sessions: app.sessions,
      chain: app.chain,
      swapClient: app.swapClient,
      analyzer: app.analyzer,
      prices: createPriceClient({ baseUrl: env.sandbox.stack.ready.priceApi }),
      clock: { now: () => Date.now() },
      logger: createLogger({ level: "silent" }),
      feeAccount: null,
      feeBps: 85,
    });
    const error = await engine
      .placeOrder({
        userId: user.id as UserId,
        sessionToken: trader.headers["x-trading-session"] ?? "",
        idempotencyKey: `${username}-key`,
        body: {
          side: "buy",
          mint: env.sandbox.stack.ready.mints.BONKY,
          amountLamports: "10000000",
        },
      })
      .catch((caught: unknown) => caught);
    return { error, trader };
  }

  const sentBy = (trader: { publicKey: string }) =>
    env.sandbox.stack.sandbox.chain.getTransactionsForAddress(address(trader.publicKey));

  it("answers 503 and sends nothing when the signed swap cannot be stored", async () => {
    const { error, trader } = await buyWithBrokenStore("unlucky", (store) =>
      withFailingTransition(store, "SIGNED"),
    );
    expect(isOspreyError(error, "DATABASE_UNAVAILABLE")).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sentBy(trader)).toHaveLength(1); // the airdrop only: the signed bytes were never sent
    const [order] = (await trader.get("/v1/orders")).body.orders as {
      status: string;
      signature: null;
    }[];
    expect(order).toMatchObject({ status: "REJECTED", signature: null });
  }, 60_000);

  it("maps a lost database to DATABASE_UNAVAILABLE (503) before anything is signed", async () => {
    const lost = () => Promise.reject(new Error("connection lost"));
    const { error, trader } = await buyWithBrokenStore("offline", (store) => ({
      ...store,
      orders: { ...store.orders, findByIdempotencyKey: lost, createPending: lost },
    }));
    expect(isOspreyError(error, "DATABASE_UNAVAILABLE")).toBe(true);
    expect(getHttpStatus("DATABASE_UNAVAILABLE")).toBe(503);
    expect(sentBy(trader)).toHaveLength(1);
  }, 60_000);
});
