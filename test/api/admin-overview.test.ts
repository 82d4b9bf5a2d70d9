import { describe, expect, it } from "vitest";
import { createChainClient } from "../../src/chain/chain-client.js";
import { systemClock } from "../../src/core/clock.js";
import { createOperatorOverview } from "../../src/operator/get-operator-overview.js";
import { describeEachDatabaseKind } from "../support/databases.js";
import { createHttpClient } from "../support/http-client.js";
import { createTrader, useTradingApp } from "../trading/trading-setup.js";

const ADMIN = { username: "operator", password: "operator password" };

describeEachDatabaseKind("GET /v1/admin/overview [%s]", (database) => {
  const env = useTradingApp(database);

  it("gives an admin users, orders by status, today's volume and commission, RPC health and failures", async () => {
    const http = createHttpClient(env.server.url);
    await env.server.app.accounts.register({ ...ADMIN, role: "admin" });
    const admin = await http.signUp(ADMIN.username, ADMIN.password);
    const trader = await createTrader(env.sandbox, env.server.url, "overview-trader");
    const mint = env.sandbox.stack.ready.mints.BONKY ?? "";
    const buy = await trader.order({ side: "buy", mint, amountLamports: "1000000000" }, "ov-buy");
    const bought = await trader.settle(String(buy.body.id));
    expect(bought.status).toBe("CONFIRMED");
    const sell = await trader.order({ side: "sell", mint, percent: 50 }, "ov-sell");
    const sold = await trader.settle(String(sell.body.id));
    expect(sold.status).toBe("CONFIRMED");
    const risky = env.sandbox.stack.ready.risky.FREEZE ?? "";
    const refused = await trader.order(
      { side: "buy", mint: risky, amountLamports: "100000000", acceptRisk: true },
      "ov-blocked",
    );
    expect(refused.body.error?.code).toBe("SAFETY_BLOCKED");

    const answer = await http.call("GET", "/v1/admin/overview", undefined, admin);
    expect(answer.status, answer.text).toBe(200);
    const overview = answer.body as unknown as Awaited<
      ReturnType<ReturnType<typeof createOperatorOverview>>
    >;
    expect(overview.users.total).toBe(2);
    expect(overview.users.list).toEqual([
      expect.objectContaining({ username: "operator", role: "admin", wallets: 0, orders: 0 }),
      expect.objectContaining({ username: "overview-trader", role: "user", wallets: 1, orders: 3 }),
    ]);
    expect(overview.ordersByStatus).toEqual({ CONFIRMED: 2, REJECTED: 1 });

    const today = new Date().toISOString().slice(0, 10);
    const commission =
      BigInt(String(bought.commissionLamports)) + BigInt(String(sold.commissionLamports));
    const usd = Number(bought.commissionUsd) + Number(sold.commissionUsd);
    expect(overview.daily).toHaveLength(1);
    expect(overview.daily[0]).toEqual({
      day: today,
      orders: 3,
      confirmed: 2,
      // SOL spent on the buy and received on the sell.
      volumeLamports: (BigInt(String(bought.amountIn)) + BigInt(String(sold.amountOut))).toString(),
      commissionLamports: commission.toString(),
      commissionUsd: expect.any(String),
    });
    expect(Number(overview.daily[0]?.commissionUsd)).toBeCloseTo(usd, 6);
    expect(commission).toBeGreaterThan(0n);

    expect(overview.rpc.length).toBeGreaterThan(0);
    for (const endpoint of overview.rpc) {
      expect(endpoint.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
      expect(endpoint).toMatchObject({ healthy: true, state: "closed" });
    }
    expect(overview.recentFailures).toEqual([
      expect.objectContaining({
        orderId: refused.body.error?.details
          ? (refused.body.error.details as { orderId: string }).orderId
          : expect.any(String),
        username: "overview-trader",
        status: "REJECTED",
        error: expect.stringMatching(/.+/),
      }),
    ]);
  });

  it("answers 403 FORBIDDEN with no data to anyone but an admin, whatever the credential", async () => {
    const http = createHttpClient(env.server.url);
    const user = await http.signUp("not-an-admin");
    const key = await http.call("POST", "/v1/api-keys", { scope: "full" }, user);
    for (const headers of [user, { "x-api-key": String(key.body.key) }]) {
      const answer = await http.call("GET", "/v1/admin/overview", undefined, headers);
      expect(answer.status).toBe(403);
      expect(Object.keys(answer.body)).toEqual(["error"]);
      expect(answer.body.error?.code).toBe("FORBIDDEN");
      expect(answer.text).not.toContain("overview-trader");
    }
    expect((await http.call("GET", "/v1/admin/overview")).status).toBe(401);
    const bad = await http.call("GET", "/v1/admin/overview?days=0", undefined, user);
    expect(bad.status).toBe(400);
  });
});

describe("the operator view's RPC list", () => {
  it("shows endpoints without their credentials, query or key-like path", async () => {
    const chain = createChainClient({
      endpoints:
        "https://user:hunter2@rpc.example.com/v2/abcDEF1234567890abcDEF12?api-key=SECRETKEY|2",
      clock: systemClock,
      random: Math.random,
    });
    try {
      const overview = await createOperatorOverview({
        store: {
          users: { count: async () => 0 },
          operator: {
            listUsers: async () => [],
            countOrdersByStatus: async () => ({}),
            getDailyTotals: async () => [],
            listRecentFailures: async () => [],
          },
        } as never,
        clock: systemClock,
        getRpcStatus: () => chain.pool.getStatus(),
      })(30);
      const text = JSON.stringify(overview.rpc);
      for (const secret of ["hunter2", "SECRETKEY", "abcDEF1234567890abcDEF12", "user:"])
        expect(text).not.toContain(secret);
      expect(overview.rpc).toEqual([
        expect.objectContaining({
          url: expect.stringMatching(/^https:\/\/rpc\.example\.com\/v2\//),
          weight: 2,
          latencyMs: null,
        }),
      ]);
    } finally {
      chain.close();
    }
  });
});
