import { expect } from "vitest";
import { rpcCall } from "./crash-harness.js";
import { describeCrashTrading } from "./crash-trading.js";
import { readSendLog } from "./v2-chain-reads.js";

/**
 * The crash test with MEV protection on every order: the server sends only to the sandbox's block
 * engine and sender, and after each restart its reconciler resumes the orders in flight through
 * those routes only. Besides the crash test's own checks: no order's transaction ever reached a
 * public RPC endpoint, and every confirmed one paid its tip inside its own transaction.
 */
describeCrashTrading("crash recovery with MEV protection on: private routes only, across crashes", {
  serverEnv: (ready) => {
    if (!ready.blockEngine || !ready.sender) throw new Error("the sandbox has no block engine");
    return {
      JITO_URLS: ready.blockEngine,
      SENDER_URLS: ready.sender,
      JITO_TIP_FLOOR_URL: `${ready.blockEngine}/api/v1/bundles/tip_floor`,
    };
  },
  orderExtra: { mevProtection: true, tipLamports: "2000" },
  async checkOrders(harness, orders) {
    let signed = 0;
    for (const order of orders) {
      if (order.signature === null) continue;
      signed++;
      const sends = await readSendLog(harness.ready.admin, String(order.signature));
      const publicSends = sends.filter((s) => s.route.startsWith("rpc"));
      expect(publicSends, `order ${String(order.id)} reached a public endpoint`).toEqual([]);
      if (order.status === "EXPIRED") {
        // An expired protected order: what its sends met (for the owners of the routes).
        process.stderr.write(
          `expired protected order ${String(order.id)}: events ${JSON.stringify(order.events)}; sends ${JSON.stringify(sends)}\n`,
        );
      }
      if (order.status !== "CONFIRMED") continue;
      expect(order).toMatchObject({ mevProtected: true, tipLamports: "2000" });
      expect(sends.length).toBeGreaterThan(0);
      const tx = (await rpcCall(harness.rpc, "getTransaction", [
        order.signature,
        { commitment: "confirmed", encoding: "json", maxSupportedTransactionVersion: 0 },
      ])) as { meta: { fee: number } };
      expect(String(order.networkFeeLamports)).toBe(String(tx.meta.fee));
    }
    expect(signed).toBeGreaterThan(0);
  },
});
