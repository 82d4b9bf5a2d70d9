import { address } from "@solana/kit";
import { describe, expect, it } from "vitest";
import { createTrader, useTradingApp } from "./trading-setup.js";

type Check = { id: string; status: string };

const BLOCKED: [string, Record<string, string>][] = [
  ["FREEZE", { freeze_authority: "fail" }],
  ["FEE99", { transfer_fee: "fail" }],
  ["PDELEG", { permanent_delegate: "fail" }],
  ["NOXFER", { non_transferable: "fail" }],
  ["DFROZEN", { freeze_authority: "fail", default_account_state: "fail" }],
  ["WHALE", { holder_concentration: "fail" }],
  ["DRY", { price_impact: "fail", round_trip_loss: "fail" }],
  ["FAKEUSDC", { impersonation: "fail" }],
];
const WARNED: [string, Record<string, string>][] = [
  ["PRINT", { mint_authority: "warn" }],
  ["HOOK", { transfer_hook: "warn" }],
  ["MUTABLE", { metadata_mutable: "warn" }],
];

describe("risky demo tokens through the order engine", () => {
  const env = useTradingApp();

  it("refuses every blocked token with its failing checks, records REJECTED, sends nothing", async () => {
    const trader = await createTrader(env.sandbox, env.server.url, "blocked");
    const sent = env.sandbox.stack.sandbox.chain.getTransactionsForAddress(
      trader.publicKey as never,
    ).length;
    for (const [symbol, expected] of BLOCKED) {
      const mint = env.sandbox.stack.ready.risky[symbol] ?? "";
      const body = { side: "buy", mint, amountLamports: "100000000", acceptRisk: true };
      const refused = await trader.order(body, `blocked-${symbol}`);
      expect(refused.status, `${symbol}: ${refused.text}`).toBe(422);
      expect(refused.body.error?.code).toBe("SAFETY_BLOCKED");
      const details = refused.body.error?.details as { orderId: string; checks: Check[] };
      for (const [id, status] of Object.entries(expected))
        expect(details.checks, symbol).toContainEqual(expect.objectContaining({ id, status }));
      const order = await trader.get(`/v1/orders/${details.orderId}`);
      expect(order.body).toMatchObject({ status: "REJECTED", signature: null });
      // A retry with the same key answers with the same rejected order.
      const retry = await trader.order(body, `blocked-${symbol}`);
      expect(retry.status).toBe(200);
      expect(retry.body).toMatchObject({ id: details.orderId, status: "REJECTED" });
    }
    const after = env.sandbox.stack.sandbox.chain.getTransactionsForAddress(
      address(trader.publicKey),
    );
    expect(after.length).toBe(sent);
  }, 60_000);

  it.each(WARNED)(
    "asks for acceptRisk on %s, then executes it",
    async (symbol, expected) => {
      const trader = await createTrader(
        env.sandbox,
        env.server.url,
        `warned-${symbol.toLowerCase()}`,
      );
      const mint = env.sandbox.stack.ready.risky[symbol] ?? "";
      const body = { side: "buy", mint, amountLamports: "100000000" };
      const refused = await trader.order(body, `warn-${symbol}`);
      expect(refused.status, refused.text).toBe(422);
      expect(refused.body.error?.code).toBe("RISK_NOT_ACCEPTED");
      const checks = (refused.body.error?.details as { checks: Check[] } | undefined)?.checks;
      for (const [id, status] of Object.entries(expected))
        expect(checks).toContainEqual(expect.objectContaining({ id, status }));
      const accepted = await trader.order({ ...body, acceptRisk: true }, `warn-${symbol}-ok`);
      expect(accepted.status, accepted.text).toBe(202);
      const order = await trader.settle(String(accepted.body.id));
      expect(order.status).toBe("CONFIRMED");
      expect(await trader.tokenBalance(mint)).toBe(BigInt(String(order.amountOut)));
    },
    60_000,
  );
});

describe("the freeze honeypot: bought anyway, frozen, the sell fails on chain", () => {
  // The operator vouches for FREEZE here, so the buy passes and the trap can spring.
  const env = useTradingApp("sqlite", (sandbox) => ({
    pinnedMints: {
      USDC: sandbox.stack.ready.mints.USDC ?? "",
      FREEZE: sandbox.stack.ready.risky.FREEZE ?? "",
    },
  }));

  it("marks the sell FAILED with a clear error and keeps the position", async () => {
    const trader = await createTrader(env.sandbox, env.server.url, "trapped");
    const mint = env.sandbox.stack.ready.risky.FREEZE ?? "";
    const buy = await trader.order(
      { side: "buy", mint, amountLamports: "200000000", acceptRisk: true },
      "freeze-buy",
    );
    expect(buy.status, buy.text).toBe(202);
    const bought = await trader.settle(String(buy.body.id));
    expect(bought.status).toBe("CONFIRMED");
    // The bot freezes buyers a couple of slots after their buy lands.
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    const sell = await trader.order({ side: "sell", mint, percent: 100 }, "freeze-sell");
    if (process.env.JUPITER_SWAP_API === "v1") {
      expect(sell.status, sell.text).toBe(202);
      const sold = await trader.settle(String(sell.body.id));
      expect(sold.status).toBe("FAILED");
      expect(String(sold.error)).toMatch(/frozen/);
    } else {
      // v2 simulates a route it has not seen before it signs: the frozen account is found
      // there, and nothing is written or sent (no fee paid for a swap that cannot succeed).
      expect(sell.status, sell.text).toBe(422);
      const error = sell.body.error as { code: string; message: string };
      expect(error.code).toBe("SWAP_SIMULATION_FAILED");
      expect(error.message).toMatch(/frozen/);
      const orders = (await trader.get("/v1/orders")).body.orders as { side: string }[];
      expect(orders.map((order) => order.side)).toEqual(["buy"]);
    }
    expect(await trader.tokenBalance(mint)).toBe(BigInt(String(bought.amountOut)));
    const positions = await trader.get("/v1/positions");
    expect(positions.body.positions).toContainEqual(
      expect.objectContaining({ mint, amount: String(bought.amountOut) }),
    );
  }, 60_000);
});
