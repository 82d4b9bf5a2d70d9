import { address, generateKeyPairSigner } from "@solana/kit";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabaseKind } from "../support/databases.js";
import { createHttpClient, type Json } from "../support/http-client.js";
import {
  createTrader,
  startTradingSandbox,
  type TestServer,
  type Trader,
  type TradingSandbox,
} from "../trading/trading-setup.js";

/** The server "dies" between storing the signed withdrawal and its first send. */
const crashAfterSigning = { withdrawals: { shouldLand: () => false } };
const TERMINAL = new Set(["CONFIRMED", "FAILED", "EXPIRED", "REJECTED"]);

describeEachDatabaseKind(
  "restart: the reconciler resolves withdrawals signed before a crash [%s]",
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

    const withdraw = (url: string, trader: Trader, body: unknown, key: string) =>
      createHttpClient(url).call("POST", `/v1/wallets/${trader.walletId}/withdrawals`, body, {
        ...trader.headers,
        "idempotency-key": key,
      });

    async function settle(url: string, trader: Trader, id: string): Promise<Json> {
      const http = createHttpClient(url);
      for (let i = 0; i < 200; i++) {
        const { body } = await http.call("GET", `/v1/withdrawals/${id}`, undefined, trader.headers);
        if (TERMINAL.has(String(body.status))) return body;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`withdrawal ${id} did not settle`);
    }

    it("lands a SIGNED withdrawal's stored bytes after a restart, signed once, and its key still returns it", async () => {
      server = await sandbox.startApp(crashAfterSigning);
      const trader = await createTrader(sandbox, server.url, "w-phoenix");
      const to = (await generateKeyPairSigner()).address as string;
      const body = { to, amount: "250000000" };
      const placed = await withdraw(server.url, trader, body, "w-crash-1");
      expect(placed.status, placed.text).toBe(202);
      expect(placed.body).toMatchObject({ status: "SIGNED" });
      const signature = String(placed.body.signature);
      await server.close();
      expect(sandbox.stack.sandbox.chain.getTransaction(signature)).toBeUndefined();
      expect(sandbox.lamportsOf(to)).toBe(0n);

      server = await sandbox.startApp();
      const withdrawal = await settle(server.url, trader, String(placed.body.id));
      // The very bytes signed before the crash landed: same signature, nothing signed again.
      expect(withdrawal).toMatchObject({ status: "CONFIRMED", signature, feeLamports: "5000" });
      expect(sandbox.lamportsOf(to)).toBe(250_000_000n);
      const sent = sandbox.stack.sandbox.chain
        .getTransactionsForAddress(address(trader.publicKey))
        .map((tx) => tx.signature);
      expect(sent).toHaveLength(2); // the airdrop and this withdrawal
      expect(sent).toContain(signature);
      // The session died with the first server; the retry is still answered from the record.
      const retry = await withdraw(server.url, trader, body, "w-crash-1");
      expect(retry.status, retry.text).toBe(200);
      expect(retry.body).toMatchObject({ id: placed.body.id, status: "CONFIRMED", signature });
      expect(sandbox.lamportsOf(to)).toBe(250_000_000n);
      await server.close();
      server = undefined;
    }, 60_000);

    it("marks a never-sent withdrawal EXPIRED once its blockhash is past, and nothing moved", async () => {
      server = await sandbox.startApp(crashAfterSigning);
      const trader = await createTrader(sandbox, server.url, "w-lazarus");
      const to = (await generateKeyPairSigner()).address as string;
      const placed = await withdraw(server.url, trader, { to, amount: "250000000" }, "w-crash-2");
      expect(placed.body).toMatchObject({ status: "SIGNED" });
      await server.close();
      const lamports = sandbox.lamportsOf(trader.publicKey);
      sandbox.stack.sandbox.chain.advance(200); // the blockhash is now too old to land

      server = await sandbox.startApp();
      const withdrawal = await settle(server.url, trader, String(placed.body.id));
      expect(withdrawal).toMatchObject({ status: "EXPIRED", feeLamports: "0" });
      expect(sandbox.lamportsOf(trader.publicKey)).toBe(lamports);
      expect(sandbox.lamportsOf(to)).toBe(0n);
      await server.close();
      server = undefined;
    }, 60_000);

    it("off the sandbox: no faucet (404 FAUCET_UNAVAILABLE), and /v1/meta names the cluster and its explorer", async () => {
      server = await sandbox.startApp({}, { SOLANA_CLUSTER: "devnet" });
      const trader = await createTrader(sandbox, server.url, "w-mainnet", 0n);
      const http = createHttpClient(server.url);
      const faucet = await http.call(
        "POST",
        `/v1/wallets/${trader.walletId}/faucet`,
        {},
        trader.headers,
      );
      expect(faucet.status).toBe(404);
      expect(faucet.body.error?.code).toBe("FAUCET_UNAVAILABLE");
      expect(sandbox.lamportsOf(trader.publicKey)).toBe(0n);
      const meta = await http.call("GET", "/v1/meta");
      expect(meta.body).toMatchObject({
        cluster: "devnet",
        faucet: false,
        explorerUrl: "https://explorer.solana.com",
      });
      await server.close();
      server = await sandbox.startApp({}, { EXPLORER_URL: "https://solscan.io/" });
      const custom = await createHttpClient(server.url).call("GET", "/v1/meta");
      expect(custom.body).toMatchObject({
        cluster: "mainnet-beta",
        faucet: false,
        explorerUrl: "https://solscan.io",
      });
      await server.close();
      server = undefined;
    }, 60_000);
  },
);
