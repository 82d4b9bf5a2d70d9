import { describe, expect, it } from "vitest";
import { createTrader, TRADING_DATABASES, useTradingApp } from "./trading-setup.js";

describe.each(TRADING_DATABASES)("concurrent orders [%s]", (database) => {
  const env = useTradingApp(database);

  it("fills every order once; positions and the fee wallet add up exactly", async () => {
    const mint = env.sandbox.stack.ready.mints.BONKY ?? "";
    const traders = await Promise.all(
      [1, 2, 3, 4, 5, 6].map((n) => createTrader(env.sandbox, env.server.url, `crowd-${n}`)),
    );
    const feeBefore = env.sandbox.lamportsOf(env.sandbox.feeAccount);
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
    expect(env.sandbox.lamportsOf(env.sandbox.feeAccount) - feeBefore).toBe(commissions);
  }, 90_000);
});
