import { address, generateKeyPairSigner } from "@solana/kit";
import { expect, it, vi } from "vitest";
import { address as ospreyAddress } from "../../src/core/addresses.js";
import { TOKEN_PROGRAM } from "../../src/core/token-programs.js";
import { getFeeAccount } from "../../src/trading/fee-account.js";
import { describeEachDatabaseKind } from "../support/databases.js";
import { createTrader, useTradingApp } from "./trading-setup.js";

const FEE_BPS = 85n;

describeEachDatabaseKind(
  "buy and sell healthy tokens through a listening server on the sandbox [%s]",
  (database) => {
    const env = useTradingApp(database);

    it.each(["BONKY", "GLIDE"])(
      "buys and sells %s with exact balances and the commission in the fee wallet",
      async (symbol) => {
        const mint = env.sandbox.stack.ready.mints[symbol] ?? "";
        const trader = await createTrader(
          env.sandbox,
          env.server.url,
          `buyer-${symbol.toLowerCase()}`,
        );
        const solBefore = env.sandbox.lamportsOf(trader.publicKey);
        const feeBefore = env.sandbox.lamportsOf(env.sandbox.feeAccount);

        const placed = await trader.order(
          { side: "buy", mint, amountLamports: "1000000000" },
          `buy-${symbol}`,
        );
        expect(placed.status, placed.text).toBe(202);
        const buy = await trader.settle(String(placed.body.id));
        expect(buy).toMatchObject({ status: "CONFIRMED", side: "buy", mint, error: null });
        const statuses = (buy.events as { status: string }[]).map((e) => e.status);
        expect(statuses).toEqual(["PENDING", "QUOTED", "SIGNED", "SUBMITTED", "CONFIRMED"]);

        const commission = BigInt(String(buy.commissionLamports));
        expect(commission).toBe((1_000_000_000n * FEE_BPS) / 10_000n);
        expect(env.sandbox.lamportsOf(env.sandbox.feeAccount) - feeBefore).toBe(commission);
        expect(Number(buy.commissionUsd)).toBeGreaterThan(0);
        expect(solBefore - env.sandbox.lamportsOf(trader.publicKey)).toBe(
          BigInt(String(buy.amountIn)),
        );
        const bought = BigInt(String(buy.amountOut));
        expect(bought).toBeGreaterThan(0n);
        expect(await trader.tokenBalance(mint)).toBe(bought);

        const feeBeforeSell = env.sandbox.lamportsOf(env.sandbox.feeAccount);
        const solBeforeSell = env.sandbox.lamportsOf(trader.publicKey);
        const sellPlaced = await trader.order(
          { side: "sell", mint, percent: 50 },
          `sell-${symbol}`,
        );
        expect(sellPlaced.status, sellPlaced.text).toBe(202);
        const sell = await trader.settle(String(sellPlaced.body.id));
        expect(sell).toMatchObject({ status: "CONFIRMED", side: "sell" });
        expect(BigInt(String(sell.amountIn))).toBe(bought / 2n);
        expect(await trader.tokenBalance(mint)).toBe(bought - bought / 2n);
        const received = BigInt(String(sell.amountOut));
        expect(env.sandbox.lamportsOf(trader.publicKey) - solBeforeSell).toBe(received);
        const sellCommission = BigInt(String(sell.commissionLamports));
        expect(env.sandbox.lamportsOf(env.sandbox.feeAccount) - feeBeforeSell).toBe(sellCommission);
        // The fee is 0.85% of the SOL the pool paid out before it.
        const detail = (sell.events as { status: string; detail: Record<string, string> }[]).find(
          (e) => e.status === "CONFIRMED",
        )?.detail;
        const gross = received + BigInt(detail?.networkFeeLamports ?? "0") + sellCommission;
        expect(sellCommission).toBe((gross * FEE_BPS) / 10_000n);

        const positions = await trader.get("/v1/positions");
        const position = (positions.body.positions as Record<string, string>[]).find(
          (p) => p.mint === mint,
        );
        expect(position).toMatchObject({ amount: String(bought - bought / 2n) });
        const paid = BigInt(String(buy.amountIn));
        const released = (paid * (bought / 2n)) / bought; // average cost of the tokens sold
        expect(BigInt(position?.costLamports ?? "")).toBe(paid - released);
        expect(BigInt(position?.realizedPnlLamports ?? "")).toBe(received - released);
        expect(position?.unrealizedPnlLamports).toMatch(/^-?[0-9]+$/);
      },
      60_000,
    );

    it("exports the trading metrics on /metrics", async () => {
      const metrics = await fetch(`${env.server.url}/metrics`).then((response) => response.text());
      expect(metrics).toMatch(/orders_total\{chain="solana",side="buy",status="CONFIRMED"\} 2/);
      expect(metrics).toMatch(/orders_total\{chain="solana",side="sell",status="CONFIRMED"\} 2/);
      expect(metrics).toMatch(
        /order_latency_seconds_bucket\{le="30",chain="solana",side="buy"\} 2/,
      );
      expect(metrics).toMatch(/safety_verdicts_total\{verdict="ok"\} 2/);
      expect(metrics).toMatch(/active_users 2/);
      const commission = /commission_lamports_total (\d+)/.exec(metrics)?.[1];
      expect(Number(commission)).toBeGreaterThan(2 * 8_500_000);
      expect(metrics).toMatch(/rpc_requests_total/);
    });

    it("quotes a buy and a sell with the commission, and refuses bad input", async () => {
      const trader = await createTrader(env.sandbox, env.server.url, "quoter", 1_000_000_000n);
      const mint = env.sandbox.stack.ready.mints.WIFY ?? "";
      const buy = await trader.get(`/v1/quote?side=buy&mint=${mint}&amount=1000000000`);
      expect(buy.status, buy.text).toBe(200);
      expect(buy.body).toMatchObject({
        side: "buy",
        inAmount: "1000000000",
        feeLamports: "8500000",
      });
      expect(BigInt(String(buy.body.minAmountOut))).toBeLessThan(
        BigInt(String(buy.body.outAmount)),
      );
      const sell = await trader.get(
        `/v1/quote?side=sell&mint=${mint}&amount=1000000&slippageBps=50`,
      );
      expect(sell.status, sell.text).toBe(200);
      for (const bad of ["amount=0", "amount=-1", "amount=1.5", "side=short", "slippageBps=0"]) {
        const query = new URLSearchParams({ side: "buy", mint, amount: "1000" });
        const [key, value] = bad.split("=") as [string, string];
        query.set(key, value);
        const reply = await trader.get(`/v1/quote?${query.toString()}`);
        expect(reply.status, bad).toBe(400);
      }
      expect((await trader.get("/v1/quote?side=buy&mint=nope&amount=1")).status).toBe(400);
      expect((await trader.get("/v1/orders")).body.orders).toEqual([]);
    });

    it("pays the commission into the fee wallet's wrapped-SOL account, and says when it is missing", async () => {
      const account = env.sandbox.stack.sandbox.chain.getAccount(address(env.sandbox.feeAccount));
      expect(account?.owner).toBe(TOKEN_PROGRAM);
      expect(env.server.logs.text()).not.toContain("no wrapped-SOL token account");
      const elsewhere = (await generateKeyPairSigner()).address;
      const unopened = await env.sandbox.startApp({}, { FEE_WALLET: elsewhere });
      try {
        await vi.waitFor(
          () =>
            expect(unopened.logs.text()).toContain("FEE_WALLET has no wrapped-SOL token account"),
          { timeout: 10_000 },
        );
        expect(unopened.logs.text()).toContain(await getFeeAccount(ospreyAddress(elsewhere)));
      } finally {
        await unopened.close();
      }
    });

    it("documents the order routes in the OpenAPI spec", async () => {
      const spec = (await fetch(`${env.server.url}/docs/json`).then((response) =>
        response.json(),
      )) as {
        paths: Record<string, unknown>;
      };
      expect(Object.keys(spec.paths)).toEqual(
        expect.arrayContaining(["/v1/orders", "/v1/orders/{id}", "/v1/positions", "/v1/quote"]),
      );
    });
  },
);
