import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTrader,
  startTradingSandbox,
  type TestServer,
  TRADING_DATABASES,
  type TradingSandbox,
} from "./trading-setup.js";

describe.each(TRADING_DATABASES)("concurrent orders [%s]", (database) => {
  let sandbox: TradingSandbox;
  let server: TestServer;

  beforeAll(async () => {
    sandbox = await startTradingSandbox(database);
    server = await sandbox.startApp();
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await sandbox?.close();
  });

  it("fills every order once; positions and the fee wallet add up exactly", async () => {
    const mint = sandbox.stack.ready.mints.BONKY ?? "";
    const traders = await Promise.all(
      [1, 2, 3, 4, 5, 6].map((n) => createTrader(sandbox, server.url, `crowd-${n}`)),
    );
    const feeBefore = sandbox.lamportsOf(sandbox.feeWallet);
    const placed = await Promise.all(
      traders.flatMap((trader, t) =>
        [1, 2, 3].map((n) =>
          trader.order(
            { side: "buy", mint, amountLamports: String(100_000_000 * n + t), slippageBps: 3000 },
            `crowd-${t}-${n}`,
          ),
        ),
      ),
    );
    for (const reply of placed) expect(reply.status, reply.text).toBe(202);
    let commissions = 0n;
    for (const trader of traders) {
      const orders = (await trader.get("/v1/orders")).body.orders as { id: string }[];
      expect(orders).toHaveLength(3);
      let bought = 0n;
      let paid = 0n;
      for (const { id } of orders) {
        const order = await trader.settle(id);
        expect(order.status).toBe("CONFIRMED");
        bought += BigInt(String(order.amountOut));
        paid += BigInt(String(order.amountIn));
        commissions += BigInt(String(order.commissionLamports));
      }
      expect(await trader.tokenBalance(mint)).toBe(bought);
      const positions = (await trader.get("/v1/positions")).body.positions as Record<
        string,
        string
      >[];
      expect(positions).toEqual([
        expect.objectContaining({ mint, amount: String(bought), costLamports: String(paid) }),
      ]);
    }
    expect(sandbox.lamportsOf(sandbox.feeWallet) - feeBefore).toBe(commissions);
  }, 90_000);
});
