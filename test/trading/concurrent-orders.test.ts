import { describe, expect, it } from "vitest";
import { describeEachDatabaseKind } from "../support/databases.js";
import { createTrader, useTradingApp } from "./trading-setup.js";

describeEachDatabaseKind("concurrent orders [%s]", (database) => {
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

describe("orders prepared one at a time (ORDER_CONCURRENCY=1)", () => {
  const env = useTradingApp("sqlite", () => ({ orders: { orderConcurrency: 1 } }));

  it("prepares each order only once the one before it is landing", async () => {
    const mint = env.sandbox.stack.ready.mints.BONKY ?? "";
    const traders = await Promise.all(
      [1, 2, 3, 4].map((n) => createTrader(env.sandbox, env.server.url, `queue-${n}`)),
    );
    // Slow reads, so that orders prepared together would overlap by tens of milliseconds.
    await env.sandbox.stack.sandbox.setFaults(0, { latencyMs: 30 });
    const placed = await Promise.all(
      traders.map((trader, t) =>
        trader.order(
          { side: "buy", mint, amountLamports: String(100_000_000 + t), slippageBps: 3000 },
          `queue-${t}`,
        ),
      ),
    );
    const orders = await Promise.all(
      placed.map(async (reply, t) => {
        expect(reply.status, reply.text).toBe(202);
        return (traders[t] as (typeof traders)[number]).settle(String(reply.body.id));
      }),
    );
    const at = (order: Record<string, unknown>, status: string) =>
      Date.parse(
        (order.events as { status: string; at: string }[]).find((e) => e.status === status)?.at ??
          "",
      );
    const byCreation = [...orders].sort((a, b) => at(a, "PENDING") - at(b, "PENDING"));
    for (const [i, order] of byCreation.entries()) {
      expect(order.status, JSON.stringify(order)).toBe("CONFIRMED");
      const previous = byCreation[i - 1];
      // Not one order's preparation overlaps another's: each starts once the last was signed,
      // and its own balance read (30 ms) comes before it is written.
      if (previous)
        expect(at(order, "PENDING") - at(previous, "SIGNED")).toBeGreaterThanOrEqual(20);
    }
    const metrics = await fetch(`${env.server.url}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/^orders_waiting 0$/m);
  }, 90_000);
});
