import { address, createSolanaRpc, type Signature } from "@solana/kit";
import { describe, expect, it } from "vitest";
import { getPriorityFeeLamports } from "../../src/chain/assemble-swap-transaction.js";
import { createTrader, type Trader, useTradingApp } from "./trading-setup.js";

const FEE_BPS = 85n;
/** These suites are about v2, also when the others run with JUPITER_SWAP_API=v1. */
const V2 = { JUPITER_SWAP_API: "v2" };

type Json = Record<string, unknown>;
const signedDetail = (order: Json) =>
  ((order.events as { status: string; detail: Record<string, string | null> }[]).find(
    (event) => event.status === "SIGNED",
  )?.detail ?? {}) as Record<string, string | number | null>;

describe("orders through Swap API v2: assembled by Osprey, fees and tip recorded as the chain shows them", () => {
  const env = useTradingApp(
    "sqlite",
    (sandbox) => ({
      jitoUrls: sandbox.stack.ready.blockEngine ? [sandbox.stack.ready.blockEngine] : [],
      senderUrls: sandbox.stack.ready.sender ? [sandbox.stack.ready.sender] : [],
    }),
    V2,
  );
  const rpc = () => createSolanaRpc(env.sandbox.stack.ready.rpc[0] as string);
  const landed = async (signature: unknown) => {
    const tx = await rpc()
      .getTransaction(signature as Signature, {
        commitment: "confirmed",
        encoding: "json",
        maxSupportedTransactionVersion: 0,
      })
      .send();
    if (!tx?.meta) throw new Error("not landed");
    return tx;
  };
  const settled = async (trader: Trader, body: Json, key: string) => {
    const placed = await trader.order(body, key);
    expect(placed.status, placed.text).toBe(202);
    return trader.settle(String(placed.body.id));
  };

  it("buys and sells: exact balances and commission, network and priority fee equal to the landed transaction", async () => {
    const mint = env.sandbox.stack.ready.mints.BONKY ?? "";
    const trader = await createTrader(env.sandbox, env.server.url, "v2-trader");
    const solBefore = env.sandbox.lamportsOf(trader.publicKey);
    const feeBefore = env.sandbox.lamportsOf(env.sandbox.feeAccount);

    const buy = await settled(
      trader,
      { side: "buy", mint, amountLamports: "500000000", priorityLevel: "high" },
      "v2-buy",
    );
    expect(buy).toMatchObject({ status: "CONFIRMED", mevProtected: false, tipLamports: null });
    const signed = signedDetail(buy);
    expect(signed).toMatchObject({ swapApi: "v2", landingRoute: "public", tipLamports: null });
    const commission = BigInt(String(buy.commissionLamports));
    expect(commission).toBe((500_000_000n * FEE_BPS) / 10_000n);
    expect(env.sandbox.lamportsOf(env.sandbox.feeAccount) - feeBefore).toBe(commission);
    expect(solBefore - env.sandbox.lamportsOf(trader.publicKey)).toBe(BigInt(String(buy.amountIn)));
    const bought = BigInt(String(buy.amountOut));
    expect(await trader.tokenBalance(mint)).toBe(bought);

    const tx = await landed(buy.signature);
    expect(buy.networkFeeLamports).toBe(String(tx.meta?.fee));
    // Osprey's limit and price, as it set them when it signed, are what the chain charged.
    const limit = Number(signed.computeUnitLimit);
    const price = BigInt(String(signed.priorityFeeMicroLamports));
    expect(buy.priorityFeeLamports).toBe(String(getPriorityFeeLamports(price, limit)));
    expect(buy.priorityFeeLamports).toBe(signed.priorityFeeLamports);
    const signatures = BigInt(tx.transaction.signatures.length);
    expect(BigInt(String(tx.meta?.fee))).toBe(
      5_000n * signatures + BigInt(String(buy.priorityFeeLamports)),
    );
    expect(Number(tx.meta?.computeUnitsConsumed)).toBeLessThanOrEqual(limit);
    // The route's pool and vault came from the market's lookup table.
    expect(tx.meta?.loadedAddresses?.writable.length).toBeGreaterThan(0);

    const solBeforeSell = env.sandbox.lamportsOf(trader.publicKey);
    const feeBeforeSell = env.sandbox.lamportsOf(env.sandbox.feeAccount);
    const sell = await settled(
      trader,
      { side: "sell", mint, percent: 50, priorityLevel: "none" },
      "v2-sell",
    );
    expect(sell).toMatchObject({ status: "CONFIRMED", priorityFeeLamports: "0" });
    expect(BigInt(String(sell.amountIn))).toBe(bought / 2n);
    expect(await trader.tokenBalance(mint)).toBe(bought - bought / 2n);
    const received = BigInt(String(sell.amountOut));
    expect(env.sandbox.lamportsOf(trader.publicKey) - solBeforeSell).toBe(received);
    const sellCommission = BigInt(String(sell.commissionLamports));
    expect(env.sandbox.lamportsOf(env.sandbox.feeAccount) - feeBeforeSell).toBe(sellCommission);
    const sellTx = await landed(sell.signature);
    expect(sell.networkFeeLamports).toBe(String(sellTx.meta?.fee));
    expect(BigInt(String(sell.networkFeeLamports))).toBe(
      5_000n * BigInt(sellTx.transaction.signatures.length),
    );
    const gross = received + BigInt(String(sell.networkFeeLamports)) + sellCommission;
    expect(sellCommission).toBe((gross * FEE_BPS) / 10_000n);
  }, 60_000);

  it("caps the priority fee at maxPriorityFeeLamports", async () => {
    const mint = env.sandbox.stack.ready.mints.GLIDE ?? "";
    const trader = await createTrader(env.sandbox, env.server.url, "capped");
    const buy = await settled(
      trader,
      {
        side: "buy",
        mint,
        amountLamports: "100000000",
        priorityLevel: "veryHigh",
        maxPriorityFeeLamports: "3",
      },
      "capped-buy",
    );
    expect(buy.status).toBe("CONFIRMED");
    expect(BigInt(String(buy.priorityFeeLamports))).toBeLessThanOrEqual(3n);
    const tx = await landed(buy.signature);
    expect(buy.networkFeeLamports).toBe(String(tx.meta?.fee));
  }, 60_000);

  it("lands a protected order through the block engine with its tip, recorded as the tip account gained", async () => {
    const mint = env.sandbox.stack.ready.mints.BONKY ?? "";
    const trader = await createTrader(env.sandbox, env.server.url, "protected");
    const placed = await trader.order(
      { side: "buy", mint, amountLamports: "200000000", mevProtection: true, tipLamports: "7000" },
      "protected-buy",
    );
    expect(placed.status, placed.text).toBe(202);
    const id = String(placed.body.id);
    const buy = await trader.settle(id);
    expect(buy).toMatchObject({ status: "CONFIRMED", mevProtected: true, tipLamports: "7000" });
    const signed = signedDetail(buy);
    expect(signed).toMatchObject({ landingRoute: "protected", tipLamports: "7000" });
    const tx = await landed(buy.signature);
    const keys = [
      ...tx.transaction.message.accountKeys,
      ...(tx.meta?.loadedAddresses?.writable ?? []),
      ...(tx.meta?.loadedAddresses?.readonly ?? []),
    ];
    const tipIndex = keys.indexOf(address(String(signed.tipAccount)));
    expect(tipIndex).toBeGreaterThan(0);
    const gained =
      BigInt(tx.meta?.postBalances[tipIndex] ?? 0n) - BigInt(tx.meta?.preBalances[tipIndex] ?? 0n);
    expect(gained).toBe(7_000n);
    expect(keys).toContain("jitodontfront111111111111111111111111111111");
    expect(buy.networkFeeLamports).toBe(String(tx.meta?.fee));
  }, 60_000);

  it("refuses bad overrides with INVALID_INPUT and writes nothing", async () => {
    const mint = env.sandbox.stack.ready.mints.BONKY ?? "";
    const trader = await createTrader(env.sandbox, env.server.url, "bad-overrides");
    const buy = { side: "buy", mint, amountLamports: "100000000" };
    for (const [name, extra] of [
      ["priority level", { priorityLevel: "max" }],
      ["cap 0", { maxPriorityFeeLamports: "0" }],
      ["cap above 1 SOL", { maxPriorityFeeLamports: "1000000001" }],
      ["cap as a number", { maxPriorityFeeLamports: 5000 }],
      ["tip below 1000", { tipLamports: "999" }],
      ["tip with a sign", { tipLamports: "-1000" }],
      ["protection as text", { mevProtection: "true" }],
      ["slippage 0", { slippageBps: 0 }],
    ] as const) {
      const reply = await trader.order({ ...buy, ...extra }, `bad-${name.replaceAll(" ", "-")}`);
      expect(reply.status, name).toBe(400);
      expect((reply.body.error as Json | undefined)?.code, name).toBe("INVALID_INPUT");
    }
    expect((await trader.get("/v1/orders")).body.orders).toEqual([]);
  });
});

describe("a protected order without a private route", () => {
  const env = useTradingApp("sqlite", () => ({}), V2);

  it("is refused with 422 MEV_PROTECTION_UNAVAILABLE, nothing written, from the request or the settings", async () => {
    const mint = env.sandbox.stack.ready.mints.BONKY ?? "";
    const trader = await createTrader(env.sandbox, env.server.url, "unprotected");
    const body = { side: "buy", mint, amountLamports: "100000000" };
    const asked = await trader.order({ ...body, mevProtection: true }, "protected-1");
    expect(asked.status, asked.text).toBe(422);
    expect((asked.body.error as Json | undefined)?.code).toBe("MEV_PROTECTION_UNAVAILABLE");
    const settings = await trader.get("/v1/settings");
    const put = await fetch(`${env.server.url}/v1/settings`, {
      method: "PUT",
      headers: { ...trader.headers, "content-type": "application/json" },
      body: JSON.stringify({ ...settings.body, mevProtection: true }),
    });
    expect(put.status, await put.text()).toBe(200);
    const fromSettings = await trader.order(body, "protected-2");
    expect(fromSettings.status, fromSettings.text).toBe(422);
    expect((fromSettings.body.error as Json | undefined)?.code).toBe("MEV_PROTECTION_UNAVAILABLE");
    expect((await trader.get("/v1/orders")).body.orders).toEqual([]);
    // The order may turn protection off for itself.
    const off = await trader.order({ ...body, mevProtection: false }, "protected-3");
    expect(off.status, off.text).toBe(202);
    expect(await trader.settle(String(off.body.id))).toMatchObject({
      status: "CONFIRMED",
      mevProtected: false,
    });
  }, 60_000);
});
