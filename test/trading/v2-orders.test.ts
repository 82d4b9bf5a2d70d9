import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEachDatabaseKind } from "../support/databases.js";
import {
  createTrader,
  startTradingSandbox,
  type TestServer,
  type TradingSandbox,
} from "./trading-setup.js";
import { isLookupTable, priorityFeeOf, readLanded, startRecordingProxy } from "./v2-chain-reads.js";

const FEE_BPS = 85n;
const BASE_FEE_PER_SIGNATURE = 5_000n;

/**
 * Buys and sells over HTTP on the sandbox, on Swap API v2 (the default: Osprey assembles the
 * transaction from `/swap/v2/build`) and on v1 (`JUPITER_SWAP_API=v1`: quote, then swap). The
 * swap API sits behind a recording proxy, so each suite also shows which API it really used.
 */
describeEachDatabaseKind("orders end to end on Swap API v1 and v2 [%s]", (database) => {
  describe.each(["v2", "v1"] as const)("JUPITER_SWAP_API=%s", (swapApi) => {
    const env = {} as {
      sandbox: TradingSandbox;
      server: TestServer;
      proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
    };
    beforeAll(async () => {
      env.sandbox = await startTradingSandbox(database);
      env.proxy = await startRecordingProxy(new URL(env.sandbox.stack.ready.swapApi).origin);
      env.server = await env.sandbox.startApp(
        { swapApiUrl: `${env.proxy.url}/swap/v1` },
        { JUPITER_SWAP_API: swapApi },
      );
    }, 120_000);
    afterAll(async () => {
      await env.server?.close();
      await env.proxy?.close();
      await env.sandbox?.close();
    });

    it.each([
      ["BONKY", "SPL Token"],
      ["GLIDE", "Token-2022"],
    ])(
      "buys and sells %s (%s): exact balances, commission, fees as the chain shows them",
      async (symbol) => {
        const rpc = env.sandbox.stack.ready.rpc[0] ?? "";
        const mint = env.sandbox.stack.ready.mints[symbol] ?? "";
        const trader = await createTrader(env.sandbox, env.server.url, `${swapApi}-${symbol}`);
        const solBefore = env.sandbox.lamportsOf(trader.publicKey);
        const feeBefore = env.sandbox.lamportsOf(env.sandbox.feeAccount);
        const requestsBefore = env.proxy.paths.length;

        const placed = await trader.order(
          { side: "buy", mint, amountLamports: "1000000000" },
          `${swapApi}-buy-${symbol}`,
        );
        expect(placed.status, placed.text).toBe(202);
        const buy = await trader.settle(String(placed.body.id));
        expect(buy, JSON.stringify(buy)).toMatchObject({
          status: "CONFIRMED",
          side: "buy",
          mint,
          error: null,
          mevProtected: false,
          tipLamports: null,
        });
        const statuses = (buy.events as { status: string }[]).map((e) => e.status);
        expect(statuses).toEqual(["PENDING", "QUOTED", "SIGNED", "SUBMITTED", "CONFIRMED"]);

        // The API it used to build the swap.
        const used = env.proxy.paths.slice(requestsBefore);
        if (swapApi === "v2") {
          expect(used).toContain("/swap/v2/build");
          expect(used).not.toContain("/swap/v1/swap");
        } else {
          expect(used).toContain("/swap/v1/swap");
          expect(used).not.toContain("/swap/v2/build");
        }

        // Commission: 0.85% of the SOL in, in the fee wallet's account.
        const commission = BigInt(String(buy.commissionLamports));
        expect(commission).toBe((1_000_000_000n * FEE_BPS) / 10_000n);
        expect(env.sandbox.lamportsOf(env.sandbox.feeAccount) - feeBefore).toBe(commission);

        // Exact balances: the wallet paid the amount, the network fee and the new token account's
        // rent, nothing else; the tokens it holds are the order's amountOut.
        const landed = await readLanded(rpc, String(buy.signature));
        expect(landed.raw.meta.err).toBeNull();
        const paid = solBefore - env.sandbox.lamportsOf(trader.publicKey);
        expect(BigInt(String(buy.amountIn))).toBe(paid);
        expect(-landed.lamportDelta(trader.publicKey)).toBe(paid);
        const rent = landed.rentPaid([trader.publicKey]);
        expect(paid).toBe(1_000_000_000n + landed.fee + rent);
        const bought = BigInt(String(buy.amountOut));
        expect(bought).toBeGreaterThan(0n);
        expect(await trader.tokenBalance(mint)).toBe(bought);

        // Fees recorded on the order are the chain's.
        expect(BigInt(String(buy.networkFeeLamports))).toBe(landed.fee);
        expect(landed.fee).toBe(
          BASE_FEE_PER_SIGNATURE * BigInt(landed.signatures) + priorityFeeOf(landed),
        );
        if (swapApi === "v2" || buy.priorityFeeLamports !== null)
          expect(BigInt(String(buy.priorityFeeLamports))).toBe(priorityFeeOf(landed));

        if (swapApi === "v2") {
          // Osprey's own compute budget, and a v0 message through the market's lookup table.
          expect(landed.computeUnitLimit).not.toBeNull();
          expect(landed.raw.version).toBe(0);
          const lookups = landed.raw.transaction.message.addressTableLookups ?? [];
          expect(lookups.length).toBeGreaterThan(0);
          const loaded = landed.raw.meta.loadedAddresses ?? { writable: [], readonly: [] };
          expect(loaded.writable.length + loaded.readonly.length).toBeGreaterThan(0);
          for (const lookup of lookups)
            expect(await isLookupTable(rpc, lookup.accountKey)).toBe(true);
          // The fee payer is the wallet, and it signed first.
          expect(landed.keys[0]).toBe(trader.publicKey);
        }

        // Sell half.
        const feeBeforeSell = env.sandbox.lamportsOf(env.sandbox.feeAccount);
        const solBeforeSell = env.sandbox.lamportsOf(trader.publicKey);
        const sellPlaced = await trader.order(
          { side: "sell", mint, percent: 50 },
          `${swapApi}-sell-${symbol}`,
        );
        expect(sellPlaced.status, sellPlaced.text).toBe(202);
        const sell = await trader.settle(String(sellPlaced.body.id));
        expect(sell, JSON.stringify(sell)).toMatchObject({
          status: "CONFIRMED",
          side: "sell",
          mevProtected: false,
          tipLamports: null,
        });
        expect(BigInt(String(sell.amountIn))).toBe(bought / 2n);
        expect(await trader.tokenBalance(mint)).toBe(bought - bought / 2n);
        const received = BigInt(String(sell.amountOut));
        expect(env.sandbox.lamportsOf(trader.publicKey) - solBeforeSell).toBe(received);
        const sellCommission = BigInt(String(sell.commissionLamports));
        expect(env.sandbox.lamportsOf(env.sandbox.feeAccount) - feeBeforeSell).toBe(sellCommission);
        const sold = await readLanded(rpc, String(sell.signature));
        expect(BigInt(String(sell.networkFeeLamports))).toBe(sold.fee);
        if (swapApi === "v2" || sell.priorityFeeLamports !== null)
          expect(BigInt(String(sell.priorityFeeLamports))).toBe(priorityFeeOf(sold));
        // The fee is 0.85% of the SOL the pool paid out before it.
        const gross = received + sold.fee + sellCommission;
        expect(sellCommission).toBe((gross * FEE_BPS) / 10_000n);
        if (swapApi === "v2") {
          expect((sold.raw.transaction.message.addressTableLookups ?? []).length).toBeGreaterThan(
            0,
          );
        }
      },
      90_000,
    );

    it("lists the orders with the fee fields", async () => {
      const trader = await createTrader(env.sandbox, env.server.url, `${swapApi}-lister`);
      const mint = env.sandbox.stack.ready.mints.BONKY ?? "";
      const placed = await trader.order(
        { side: "buy", mint, amountLamports: "20000000" },
        `${swapApi}-list`,
      );
      expect(placed.status, placed.text).toBe(202);
      await trader.settle(String(placed.body.id));
      const { body } = await trader.get("/v1/orders");
      const [order] = body.orders as Record<string, unknown>[];
      expect(order, JSON.stringify(order)).toMatchObject({
        status: "CONFIRMED",
        mevProtected: false,
        tipLamports: null,
      });
      expect(String(order?.networkFeeLamports)).toMatch(/^[0-9]+$/);
    }, 60_000);
  });
});
