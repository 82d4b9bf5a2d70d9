import { address } from "@solana/kit";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabaseKind } from "../support/databases.js";
import {
  createTrader,
  forTrader,
  startTradingSandbox,
  type TestServer,
  type TradingSandbox,
} from "./trading-setup.js";

/** The server "dies" between storing the signed swap and its first send. */
const crashAfterSigning = { orders: { shouldLand: () => false } };

describeEachDatabaseKind(
  "restart: the reconciler resolves orders signed before a crash [%s]",
  (database) => {
    let sandbox: TradingSandbox;
    let server: TestServer | undefined;

    beforeAll(async () => {
      sandbox = await startTradingSandbox(database);
    }, 120_000);
    afterAll(async () => {
      await server?.close();
      await sandbox?.close();
    });

    it("lands a SIGNED order after a restart, and its key still returns it", async () => {
      server = await sandbox.startApp(crashAfterSigning);
      const trader = await createTrader(sandbox, server.url, "phoenix");
      const mint = sandbox.stack.ready.mints.WIFY ?? "";
      const body = { side: "buy", mint, amountLamports: "100000000" };
      const placed = await trader.order(body, "crash-1");
      expect(placed.status, placed.text).toBe(202);
      expect(placed.body).toMatchObject({ status: "SIGNED" });
      const signature = String(placed.body.signature);
      await server.close();
      expect(sandbox.stack.sandbox.chain.getTransaction(signature)).toBeUndefined();

      server = await sandbox.startApp();
      const again = forTrader(server.url, trader.headers, trader.publicKey, trader.walletId);
      const order = await again.settle(String(placed.body.id));
      expect(order).toMatchObject({ status: "CONFIRMED", signature });
      expect(BigInt(String(order.amountOut))).toBeGreaterThan(0n);
      expect(await again.tokenBalance(mint)).toBe(BigInt(String(order.amountOut)));
      // The session died with the first server; the retry is still answered from the order.
      const retry = await again.order(body, "crash-1");
      expect(retry.status, retry.text).toBe(200);
      expect(retry.body).toMatchObject({ id: placed.body.id, status: "CONFIRMED" });
      const positions = await again.get("/v1/positions");
      expect(positions.body.positions).toContainEqual(
        expect.objectContaining({ mint, amount: String(order.amountOut) }),
      );
      await server.close();
      server = undefined;
    }, 60_000);

    it("marks a never-sent order EXPIRED once its blockhash is past, and nothing moved", async () => {
      server = await sandbox.startApp(crashAfterSigning);
      const trader = await createTrader(sandbox, server.url, "lazarus");
      const placed = await trader.order(
        { side: "buy", mint: sandbox.stack.ready.mints.POPY ?? "", amountLamports: "100000000" },
        "crash-2",
      );
      expect(placed.body).toMatchObject({ status: "SIGNED" });
      await server.close();
      const lamports = sandbox.lamportsOf(trader.publicKey);
      sandbox.stack.sandbox.chain.advance(200); // the blockhash is now too old to land

      server = await sandbox.startApp();
      const again = forTrader(server.url, trader.headers, trader.publicKey, trader.walletId);
      const order = await again.settle(String(placed.body.id));
      expect(order).toMatchObject({ status: "EXPIRED", amountOut: null });
      expect(sandbox.lamportsOf(trader.publicKey)).toBe(lamports);
      expect(
        sandbox.stack.sandbox.chain.getTransactionsForAddress(address(trader.publicKey)),
      ).toHaveLength(1); // the airdrop only
    }, 60_000);
  },
);
