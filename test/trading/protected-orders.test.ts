import {
  AccountRole,
  address,
  appendTransactionMessageInstructions,
  createSolanaRpc,
  createTransactionMessage,
  generateKeyPairSigner,
  getBase64EncodedWireTransaction,
  pipe,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
} from "@solana/kit";
import {
  getSetComputeUnitLimitInstruction,
  getSetComputeUnitPriceInstruction,
} from "@solana-program/compute-budget";
import { getTransferSolInstruction } from "@solana-program/system";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { JITO_DONT_FRONT } from "../../src/chain/index.js";
import {
  createTrader,
  startTradingSandbox,
  type TestServer,
  type Trader,
  type TradingSandbox,
} from "./trading-setup.js";
import {
  jitoCall,
  priorityFeeOf,
  readLanded,
  readSendLog,
  type SendLogEntry,
} from "./v2-chain-reads.js";

const BASE_FEE_PER_SIGNATURE = 5_000n;
/** The sandbox's private routes, as its ready line names them. */
function privateRoutesOf(sandbox: TradingSandbox) {
  const { blockEngine, sender } = sandbox.stack.ready;
  if (!blockEngine || !sender) throw new Error("the sandbox started no block engine");
  return { blockEngine, sender };
}

/** The env that points a server at the sandbox's block engine and sender (as on mainnet). */
function privateRouteEnv(sandbox: TradingSandbox): Record<string, string> {
  const { blockEngine, sender } = privateRoutesOf(sandbox);
  return {
    JITO_URLS: blockEngine,
    SENDER_URLS: sender,
    JITO_TIP_FLOOR_URL: `${blockEngine}/api/v1/bundles/tip_floor`,
  };
}

const isPublic = (entry: SendLogEntry) => entry.route.startsWith("rpc");
const isPrivate = (entry: SendLogEntry) => entry.route === "jito" || entry.route === "sender";

describe("MEV-protected orders through the sandbox's block engine and sender", () => {
  const env = {} as { sandbox: TradingSandbox; server: TestServer; tipAccounts: string[] };
  beforeAll(async () => {
    env.sandbox = await startTradingSandbox("sqlite");
    env.server = await env.sandbox.startApp({}, privateRouteEnv(env.sandbox));
    const { blockEngine } = privateRoutesOf(env.sandbox);
    env.tipAccounts = (await jitoCall(
      `${blockEngine}/api/v1/bundles`,
      "getTipAccounts",
    )) as string[];
  }, 120_000);
  afterAll(async () => {
    await env.server?.close();
    await env.sandbox?.close();
  });

  const rpc = () => env.sandbox.stack.ready.rpc[0] ?? "";
  const admin = () => env.sandbox.stack.ready.admin;
  const tipBalances = () =>
    env.tipAccounts.reduce((sum, account) => sum + env.sandbox.lamportsOf(account), 0n);

  /** The order's transaction as landed, checked as a protected one: tip, guard, fees, route. */
  async function expectProtectedLanding(order: Record<string, unknown>, trader: Trader) {
    expect(order.mevProtected).toBe(true);
    const tip = BigInt(String(order.tipLamports));
    expect(tip).toBeGreaterThanOrEqual(1_000n);
    const landed = await readLanded(rpc(), String(order.signature));
    expect(landed.raw.meta.err).toBeNull();
    // The tip is paid by the wallet inside the swap's own transaction, to a Jito tip account.
    const tips = landed.transfers.filter((t) => env.tipAccounts.includes(t.to));
    expect(tips).toEqual([{ from: trader.publicKey, to: tips[0]?.to, lamports: tip }]);
    expect(landed.lamportDelta(tips[0]?.to ?? "")).toBe(tip);
    // The guard account: present, read-only, not a signer.
    expect(landed.role(JITO_DONT_FRONT)).toEqual({ present: true, writable: false, signer: false });
    // Fees as the chain charged them.
    expect(BigInt(String(order.networkFeeLamports))).toBe(landed.fee);
    expect(BigInt(String(order.priorityFeeLamports))).toBe(priorityFeeOf(landed));
    expect(landed.fee).toBe(
      BASE_FEE_PER_SIGNATURE * BigInt(landed.signatures) + priorityFeeOf(landed),
    );
    // Never seen by a public endpoint; seen by the block engine or the sender.
    const sends = await readSendLog(admin(), String(order.signature));
    expect(sends.filter(isPublic), JSON.stringify(sends)).toEqual([]);
    expect(sends.filter(isPrivate).length).toBeGreaterThan(0);
    return { landed, tip };
  }

  it("lands a protected buy and sell with the tip in the same transaction, never on public RPC", async () => {
    const trader = await createTrader(env.sandbox, env.server.url, "protected");
    const mint = env.sandbox.stack.ready.mints.BONKY ?? "";
    const solBefore = env.sandbox.lamportsOf(trader.publicKey);
    const tipsBefore = tipBalances();
    const placed = await trader.order(
      { side: "buy", mint, amountLamports: "500000000", mevProtection: true, tipLamports: "5000" },
      "protected-buy",
    );
    expect(placed.status, placed.text).toBe(202);
    const buy = await trader.settle(String(placed.body.id));
    expect(buy, JSON.stringify(buy)).toMatchObject({
      status: "CONFIRMED",
      mevProtected: true,
      tipLamports: "5000",
    });
    const { landed, tip } = await expectProtectedLanding(buy, trader);
    expect(tipBalances() - tipsBefore).toBe(tip);
    // Exact balances: amount, network fee, tip, new token account's rent.
    const paid = solBefore - env.sandbox.lamportsOf(trader.publicKey);
    expect(BigInt(String(buy.amountIn))).toBe(paid);
    expect(paid).toBe(500_000_000n + landed.fee + tip + landed.rentPaid([trader.publicKey]));
    expect(BigInt(String(buy.commissionLamports))).toBe((500_000_000n * 85n) / 10_000n);
    expect(await trader.tokenBalance(mint)).toBe(BigInt(String(buy.amountOut)));

    const sellPlaced = await trader.order(
      { side: "sell", mint, percent: 100, mevProtection: true },
      "protected-sell",
    );
    expect(sellPlaced.status, sellPlaced.text).toBe(202);
    const sell = await trader.settle(String(sellPlaced.body.id));
    expect(sell, JSON.stringify(sell)).toMatchObject({ status: "CONFIRMED", mevProtected: true });
    const sold = await expectProtectedLanding(sell, trader);
    expect(await trader.tokenBalance(mint)).toBe(0n);
    // What the wallet received is the pool's payout less commission, network fee and tip.
    const gross =
      BigInt(String(sell.amountOut)) +
      sold.landed.fee +
      sold.tip +
      BigInt(String(sell.commissionLamports));
    expect(BigInt(String(sell.commissionLamports))).toBe((gross * 85n) / 10_000n);
  }, 90_000);

  it("protects every order of a user whose settings say so, with the tip from the tip floor", async () => {
    const trader = await createTrader(env.sandbox, env.server.url, "protected-by-settings");
    const saved = await createHttp(env.server.url, trader).put("/v1/settings", {
      buyPresetsLamports: ["100000000"],
      sellPresetsPercent: [50],
      slippageBps: 200,
      mevProtection: true,
      tipLamports: null,
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const mint = env.sandbox.stack.ready.mints.GLIDE ?? "";
    const placed = await trader.order(
      { side: "buy", mint, amountLamports: "100000000" },
      "settings-buy",
    );
    expect(placed.status, JSON.stringify(placed.body)).toBe(202);
    const buy = await trader.settle(String(placed.body.id));
    expect(buy, JSON.stringify(buy)).toMatchObject({
      status: "CONFIRMED",
      mevProtected: true,
      slippageBps: 200,
    });
    const { tip } = await expectProtectedLanding(buy, trader);
    // JITO_TIP_MAX_LAMPORTS' default caps a tip taken from the floor.
    expect(tip).toBeLessThanOrEqual(1_000_000n);
    // An order may still ask for the public path.
    const open = await trader.order(
      { side: "buy", mint, amountLamports: "10000000", mevProtection: false },
      "settings-public-buy",
    );
    expect(open.status, open.text).toBe(202);
    const pub = await trader.settle(String(open.body.id));
    expect(pub).toMatchObject({ status: "CONFIRMED", mevProtected: false, tipLamports: null });
    const pubLanded = await readLanded(rpc(), String(pub.signature));
    expect(pubLanded.transfers.filter((t) => env.tipAccounts.includes(t.to))).toEqual([]);
    expect(pubLanded.role(JITO_DONT_FRONT).present).toBe(false);
    // An unprotected order goes to the public endpoints (and may use the private ones too).
    const sends = await readSendLog(admin(), String(pub.signature));
    expect(sends.filter(isPublic).length, JSON.stringify(sends)).toBeGreaterThan(0);
  }, 90_000);

  it("sets the priority fee from the level, capped by maxPriorityFeeLamports, as the chain charges it", async () => {
    // Recent fees on WIFY's pool: landed transactions that write-lock its vaults at a price.
    const pool = env.sandbox.stack.market.market.pools
      .all()
      .find((p) => p.base.mint === env.sandbox.stack.ready.mints.WIFY);
    if (!pool) throw new Error("no WIFY pool");
    // The route's pool (its ammKey, the pool authority in the sandbox) and its vaults.
    const vaults = [
      pool.id,
      pool.base.address,
      pool.quote.kind === "lamports" ? pool.quote.wsolAccount : pool.quote.address,
    ];
    await seedPriorityFees(env.sandbox, vaults, 200_000n, 4);
    const trader = await createTrader(env.sandbox, env.server.url, "priority");
    const mint = env.sandbox.stack.ready.mints.WIFY ?? "";

    const high = await trader.settle(
      String(
        (
          await trader.order(
            { side: "buy", mint, amountLamports: "50000000", priorityLevel: "veryHigh" },
            "prio-veryhigh",
          )
        ).body.id,
      ),
    );
    expect(high.status, JSON.stringify(high)).toBe("CONFIRMED");
    const highLanded = await readLanded(rpc(), String(high.signature));
    expect(highLanded.computeUnitPriceMicroLamports).toBe(200_000n);
    expect(BigInt(String(high.priorityFeeLamports))).toBe(priorityFeeOf(highLanded));
    expect(BigInt(String(high.priorityFeeLamports))).toBeGreaterThan(1_000n);
    expect(BigInt(String(high.networkFeeLamports))).toBe(highLanded.fee);

    const capped = await trader.settle(
      String(
        (
          await trader.order(
            {
              side: "buy",
              mint,
              amountLamports: "50000000",
              priorityLevel: "veryHigh",
              maxPriorityFeeLamports: "1000",
            },
            "prio-capped",
          )
        ).body.id,
      ),
    );
    expect(capped.status, JSON.stringify(capped)).toBe("CONFIRMED");
    const cappedLanded = await readLanded(rpc(), String(capped.signature));
    expect(BigInt(String(capped.priorityFeeLamports))).toBe(priorityFeeOf(cappedLanded));
    expect(priorityFeeOf(cappedLanded)).toBeLessThanOrEqual(1_000n);
    expect(priorityFeeOf(cappedLanded)).toBeGreaterThan(0n);
    expect(BigInt(String(capped.networkFeeLamports))).toBe(cappedLanded.fee);

    const none = await trader.settle(
      String(
        (
          await trader.order(
            { side: "buy", mint, amountLamports: "50000000", priorityLevel: "none" },
            "prio-none",
          )
        ).body.id,
      ),
    );
    expect(none.status, JSON.stringify(none)).toBe("CONFIRMED");
    const noneLanded = await readLanded(rpc(), String(none.signature));
    expect(noneLanded.computeUnitPriceMicroLamports ?? 0n).toBe(0n);
    expect(String(none.priorityFeeLamports)).toBe("0");
    expect(BigInt(String(none.networkFeeLamports))).toBe(
      BASE_FEE_PER_SIGNATURE * BigInt(noneLanded.signatures),
    );
  }, 120_000);

  it("says MEV protection is available in /v1/meta", async () => {
    const meta = await fetch(`${env.server.url}/v1/meta`).then((r) => r.json());
    expect(meta).toMatchObject({ mevProtection: true });
  });
});

describe("settings and order overrides: refused with their codes, nothing written", () => {
  const env = {} as { sandbox: TradingSandbox; server: TestServer };
  beforeAll(async () => {
    env.sandbox = await startTradingSandbox("sqlite");
    // No JITO_URLS / SENDER_URLS: no private route.
    env.server = await env.sandbox.startApp();
  }, 120_000);
  afterAll(async () => {
    await env.server?.close();
    await env.sandbox?.close();
  });

  it("refuses a protected order when no private route is configured, and writes nothing", async () => {
    const trader = await createTrader(env.sandbox, env.server.url, "unprotectable");
    const mint = env.sandbox.stack.ready.mints.BONKY ?? "";
    const solBefore = env.sandbox.lamportsOf(trader.publicKey);
    const refused = await trader.order(
      { side: "buy", mint, amountLamports: "10000000", mevProtection: true },
      "unprotectable-1",
    );
    expect(refused.status, refused.text).toBe(422);
    expect((refused.body.error as Record<string, unknown>).code).toBe("MEV_PROTECTION_UNAVAILABLE");
    // Through the user's settings as well.
    const http = createHttp(env.server.url, trader);
    const saved = await http.put("/v1/settings", {
      buyPresetsLamports: ["100000000"],
      sellPresetsPercent: [50],
      slippageBps: 100,
      mevProtection: true,
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const viaSettings = await trader.order(
      { side: "buy", mint, amountLamports: "10000000" },
      "unprotectable-2",
    );
    expect(viaSettings.status, viaSettings.text).toBe(422);
    expect((viaSettings.body.error as Record<string, unknown>).code).toBe(
      "MEV_PROTECTION_UNAVAILABLE",
    );
    expect((await trader.get("/v1/orders")).body.orders).toEqual([]);
    expect(env.sandbox.lamportsOf(trader.publicKey)).toBe(solBefore);
    const meta = await fetch(`${env.server.url}/v1/meta`).then((r) => r.json());
    expect(meta).toMatchObject({ mevProtection: false });
    // The same key, once the user turns protection off for the order, is a fresh order.
    const allowed = await trader.order(
      { side: "buy", mint, amountLamports: "10000000", mevProtection: false },
      "unprotectable-1",
    );
    expect(allowed.status, allowed.text).toBe(202);
    expect(await trader.settle(String(allowed.body.id))).toMatchObject({ status: "CONFIRMED" });
  }, 60_000);

  it("refuses bad settings with INVALID_SETTINGS and keeps the saved ones", async () => {
    const trader = await createTrader(env.sandbox, env.server.url, "settings-bad", 1_000_000_000n);
    const http = createHttp(env.server.url, trader);
    const good = {
      buyPresetsLamports: ["100000000"],
      sellPresetsPercent: [50],
      slippageBps: 150,
      priorityLevel: "high",
      maxPriorityFeeLamports: "20000",
      mevProtection: false,
      tipLamports: "10000",
    };
    const saved = await http.put("/v1/settings", good);
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const before = (await trader.get("/v1/settings")).body;
    expect(before).toMatchObject(good);
    const bad: [string, unknown][] = [
      ["priorityLevel", "ultra"],
      ["priorityLevel", 3],
      ["maxPriorityFeeLamports", "0"],
      ["maxPriorityFeeLamports", "-5"],
      ["maxPriorityFeeLamports", "1.5"],
      ["maxPriorityFeeLamports", 5000],
      ["maxPriorityFeeLamports", "1000000001"],
      ["mevProtection", "yes"],
      ["tipLamports", "999"],
      ["tipLamports", "abc"],
      ["tipLamports", 5000],
      ["tipLamports", "1000000001"],
      ["slippageBps", 0],
    ];
    for (const [field, value] of bad) {
      const reply = await http.put("/v1/settings", { ...good, [field]: value });
      expect(reply.status, `${field}=${JSON.stringify(value)}`).toBe(400);
      const error = reply.body.error as {
        code: string;
        details?: { problems?: { field: string }[] };
      };
      expect(error.code, `${field}=${JSON.stringify(value)}`).toBe("INVALID_SETTINGS");
      expect(error.details?.problems?.map((p) => p.field)).toContain(field);
    }
    expect((await trader.get("/v1/settings")).body).toEqual(before);
    // Old clients that do not know the new fields still save, and the new ones take defaults.
    const old = await http.put("/v1/settings", {
      buyPresetsLamports: ["100000000"],
      sellPresetsPercent: [50],
      slippageBps: 150,
    });
    expect(old.status, JSON.stringify(old.body)).toBe(200);
    expect((await trader.get("/v1/settings")).body).toMatchObject({
      priorityLevel: "medium",
      maxPriorityFeeLamports: "5000000",
      mevProtection: false,
      tipLamports: null,
    });
  });

  it("refuses bad order overrides with INVALID_INPUT and writes nothing", async () => {
    const trader = await createTrader(env.sandbox, env.server.url, "overrides-bad");
    const mint = env.sandbox.stack.ready.mints.BONKY ?? "";
    const solBefore = env.sandbox.lamportsOf(trader.publicKey);
    const base = { side: "buy", mint, amountLamports: "10000000" };
    const bad: [string, unknown][] = [
      ["slippageBps", 0],
      ["slippageBps", 5001],
      ["priorityLevel", "turbo"],
      ["maxPriorityFeeLamports", "0"],
      ["maxPriorityFeeLamports", "12x"],
      ["maxPriorityFeeLamports", 1000],
      ["mevProtection", "true"],
      ["tipLamports", "999"],
      ["tipLamports", "1000000001"],
      ["tipLamports", 2000],
    ];
    for (const [n, [field, value]] of bad.entries()) {
      const reply = await trader.order({ ...base, [field]: value }, `bad-override-${n}`);
      expect(reply.status, `${field}=${JSON.stringify(value)}: ${reply.text}`).toBe(400);
      expect((reply.body.error as Record<string, unknown>).code).toBe("INVALID_INPUT");
      expect(reply.text).toContain(field);
    }
    expect((await trader.get("/v1/orders")).body.orders).toEqual([]);
    expect(env.sandbox.lamportsOf(trader.publicKey)).toBe(solBefore);
    // A key a refused request used is still free.
    const ok = await trader.order(
      { ...base, slippageBps: 300, priorityLevel: "low", maxPriorityFeeLamports: "100000" },
      "bad-override-0",
    );
    expect(ok.status, ok.text).toBe(202);
    expect(await trader.settle(String(ok.body.id))).toMatchObject({
      status: "CONFIRMED",
      slippageBps: 300,
    });
  }, 60_000);
});

/** PUT over the trader's credentials (the trading client in trading-setup only GETs and POSTs). */
function createHttp(url: string, trader: Trader) {
  return {
    async put(path: string, body: unknown) {
      const response = await fetch(`${url}${path}`, {
        method: "PUT",
        headers: { ...trader.headers, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      return {
        status: response.status,
        body: (text ? JSON.parse(text) : {}) as Record<string, unknown>,
      };
    },
  };
}

/**
 * Lands `count` transactions, one a slot, that write-lock `accounts` at `microLamports` a compute
 * unit: the recent prioritization fees `getRecentPrioritizationFees` then reports for them.
 */
async function seedPriorityFees(
  sandbox: TradingSandbox,
  accounts: readonly string[],
  microLamports: bigint,
  count: number,
) {
  const rpc = createSolanaRpc(sandbox.stack.ready.rpc[0] ?? "");
  const payer = await generateKeyPairSigner();
  sandbox.stack.sandbox.chain.airdrop(payer.address, 1_000_000_000n);
  for (let i = 0; i < count; i++) {
    const { value: blockhash } = await rpc.getLatestBlockhash({ commitment: "confirmed" }).send();
    const transfer = getTransferSolInstruction({
      source: payer,
      destination: payer.address,
      amount: BigInt(i + 1),
    });
    const message = pipe(
      createTransactionMessage({ version: 0 }),
      (m) => setTransactionMessageFeePayerSigner(payer, m),
      (m) => setTransactionMessageLifetimeUsingBlockhash(blockhash, m),
      (m) =>
        appendTransactionMessageInstructions(
          [
            getSetComputeUnitLimitInstruction({ units: 10_000 }),
            getSetComputeUnitPriceInstruction({ microLamports }),
            {
              ...transfer,
              accounts: [
                ...transfer.accounts,
                ...accounts.map((a) => ({ address: address(a), role: AccountRole.WRITABLE })),
              ],
            },
          ],
          m,
        ),
    );
    const signed = await signTransactionMessageWithSigners(message);
    const signature = await rpc
      .sendTransaction(getBase64EncodedWireTransaction(signed), { encoding: "base64" })
      .send();
    await vi.waitFor(
      async () => {
        const { value } = await rpc.getSignatureStatuses([signature]).send();
        expect(value[0]?.confirmationStatus).toMatch(/confirmed|finalized/);
      },
      { timeout: 10_000, interval: 100 },
    );
  }
}
