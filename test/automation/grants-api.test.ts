import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { GrantRecord } from "../../src/automation/grants/grant-types.js";
import { createHttpClient, type Json } from "../support/http-client.js";
import { startTestApp } from "../support/test-app.js";
import { createTrader, forTrader, type Trader, useTradingApp } from "../trading/trading-setup.js";

const AUTOMATION_KEY = randomBytes(32).toString("base64");
const PASSWORD = "wallet password";
const DAY = 86_400_000;

const grantBody = (overrides: Record<string, unknown> = {}) => ({
  password: PASSWORD,
  maxOrderLamports: "100000000",
  maxDailyLamports: "500000000",
  orderTypes: ["limit_buy", "stop_loss"],
  expiresAt: new Date(Date.now() + DAY).toISOString(),
  ...overrides,
});

describe("automation grants over HTTP (sandbox)", () => {
  const env = useTradingApp("sqlite", () => ({}), { AUTOMATION_KEY });
  const http = () => createHttpClient(env.server.url);
  const login = (trader: Trader) => ({ authorization: String(trader.headers.authorization) });
  const path = (trader: Trader) => `/v1/wallets/${trader.walletId}/automation`;
  const db = () => env.server.app.store.database.db;
  const grantRows = (walletId: string) =>
    db().selectFrom("automationGrants").selectAll().where("walletId", "=", walletId).execute();
  const auditRows = (userId: string) =>
    db().selectFrom("auditLog").selectAll().where("userId", "=", userId).execute();
  const grantFor = async (trader: Trader, body = grantBody()) => {
    const made = await http().call("POST", path(trader), body, login(trader));
    expect(made.status, made.text).toBe(201);
    const record = await env.server.app.store.automationGrants.findById(String(made.body.id));
    return { json: made.body, record: record as GrantRecord };
  };
  const firing = { triggerId: "t-1", firingNumber: 1, idempotencyKey: "trigger:t-1:1" };

  it("says automation is on in /v1/meta", async () => {
    const meta = await http().call("GET", "/v1/meta");
    expect(meta.body.automation).toBe(true);
  });

  it("grants, reads, revokes: the ciphertext is destroyed and the audit holds no secret", async () => {
    const trader = await createTrader(env.sandbox, env.server.url, "granter");
    const exported = await http().call(
      "POST",
      `/v1/wallets/${trader.walletId}/export`,
      { password: PASSWORD },
      login(trader),
    );
    const secret = String(exported.body.secretKey);
    const { json, record } = await grantFor(trader);
    expect(json).toMatchObject({
      walletId: trader.walletId,
      status: "ACTIVE",
      maxOrderLamports: "100000000",
      maxDailyLamports: "500000000",
      spentTodayLamports: "0",
      orderTypes: ["limit_buy", "stop_loss"],
      endedAt: null,
    });
    expect(JSON.stringify(json)).not.toContain("sealed");
    const read = await http().call("GET", path(trader), undefined, login(trader));
    expect(read.body).toEqual({ enabled: true, grant: json });
    const [row] = await grantRows(trader.walletId);
    expect(row?.sealedKey).toMatch(/"sealed"/);

    const revoked = await http().call("DELETE", path(trader), undefined, trader.headers);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: json.id, status: "REVOKED", endReason: "revoked" });
    expect((await grantRows(trader.walletId))[0]?.sealedKey).toBeNull();
    const again = await http().call("DELETE", path(trader), undefined, trader.headers);
    expect([again.status, again.body.error?.code]).toEqual([404, "GRANT_NOT_FOUND"]);
    const after = await http().call("GET", path(trader), undefined, trader.headers);
    expect((after.body.grant as Json).status).toBe("REVOKED");

    const audit = await auditRows(record.userId);
    const actions = audit.map((entry) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(["automation.grant", "automation.revoke"]));
    const text = JSON.stringify(audit);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(String(row?.sealedKey));
    expect(text).not.toContain(AUTOMATION_KEY);
  });

  it("a grant replaces the active one, whose key is destroyed", async () => {
    const trader = await createTrader(env.sandbox, env.server.url, "regranter");
    const first = await grantFor(trader);
    const second = await grantFor(trader, grantBody({ orderTypes: ["dca"] }));
    const rows = await grantRows(trader.walletId);
    expect(rows.filter((row) => row.status === "ACTIVE").map((row) => row.id)).toEqual([
      second.json.id,
    ]);
    const old = rows.find((row) => row.id === first.json.id);
    expect([old?.status, old?.sealedKey, old?.endReason]).toEqual(["REVOKED", null, "replaced"]);
  });

  it("signs through keySource only while ACTIVE and unexpired, auditing before it opens", async () => {
    const trader = await createTrader(env.sandbox, env.server.url, "signer");
    const { record } = await grantFor(trader);
    const grants = env.server.app.automation.grants;
    const userId = record.userId;
    const seen = await grants.keySource(record, firing).withKey(async (key) => {
      // The sign entry is already written when the key is handed over.
      const audit = await auditRows(userId);
      expect(audit.some((entry) => entry.action === "automation.sign")).toBe(true);
      return { walletId: key.walletId, publicKey: key.publicKey, bytes: key.secretKey.length };
    });
    expect(seen).toEqual({ walletId: trader.walletId, publicKey: trader.publicKey, bytes: 64 });
    const sign = (await auditRows(userId)).find((entry) => entry.action === "automation.sign");
    expect(JSON.parse(String(sign?.detail))).toEqual({
      outcome: "ok",
      grantId: record.id,
      ...firing,
    });

    let opened = 0;
    const use = () =>
      grants.keySource(record, firing).withKey(async () => {
        opened += 1;
      });
    const setExpiry = (expiresAt: number) =>
      db().updateTable("automationGrants").set({ expiresAt }).where("id", "=", record.id).execute();
    await setExpiry(Date.now() - 1_000);
    await expect(use()).rejects.toMatchObject({ code: "GRANT_EXPIRED" });
    // Moving the expiry forward in the database makes the box unopenable: it is bound to it.
    await setExpiry(record.expiresAt + DAY);
    await expect(use()).rejects.toMatchObject({ code: "GRANT_NOT_FOUND" });
    await setExpiry(record.expiresAt);
    await use();
    expect(opened).toBe(1);

    const expired = await grants.expireDue(record.expiresAt);
    expect(expired.map((grant) => grant.id)).toContain(record.id);
    expect((await grantRows(trader.walletId))[0]).toMatchObject({
      status: "EXPIRED",
      sealedKey: null,
    });
    await expect(use()).rejects.toMatchObject({ code: "GRANT_NOT_FOUND" });
    expect(opened).toBe(1);
    const actions = (await auditRows(userId)).map((entry) => entry.action);
    expect(actions).toContain("automation.expire");
  });

  it("signs a swap through the order engine with no trading session, audited per firing", async () => {
    const trader = await createTrader(env.sandbox, env.server.url, "auto-buyer");
    await http().call("DELETE", "/v1/sessions/current", undefined, trader.headers);
    const { record } = await grantFor(trader);
    const engine = env.server.app.trading?.engine;
    const idempotencyKey = "trigger:t-buy:1";
    const placed = await engine?.placeOrder({
      userId: record.userId,
      idempotencyKey,
      triggerId: "t-buy",
      body: { side: "buy", mint: env.sandbox.stack.ready.mints.USDC, amountLamports: "10000000" },
      key: env.server.app.automation.grants.keySource(record, {
        triggerId: "t-buy",
        firingNumber: 1,
        idempotencyKey,
      }),
    });
    expect(placed?.order.walletId).toBe(trader.walletId);
    const order = await forTrader(
      env.server.url,
      login(trader),
      trader.publicKey,
      trader.walletId,
    ).settle(String(placed?.order.id));
    expect(order).toMatchObject({ status: "CONFIRMED", triggerId: "t-buy" });
    const signs = (await auditRows(record.userId)).filter((e) => e.action === "automation.sign");
    expect(signs.map((entry) => JSON.parse(String(entry.detail)).idempotencyKey)).toEqual([
      idempotencyKey,
    ]);
  });

  it("with an active grant and no session, export, withdrawal and orders are refused as before", async () => {
    const trader = await createTrader(env.sandbox, env.server.url, "no-export");
    const auth = login(trader);
    const attempts = async () => {
      const answers = [
        await http().call(
          "POST",
          `/v1/wallets/${trader.walletId}/export`,
          { password: "wrong password" },
          auth,
        ),
        await http().call(
          "POST",
          `/v1/wallets/${trader.walletId}/withdrawals`,
          { to: env.sandbox.feeWallet, amount: "1000" },
          { ...auth, "idempotency-key": `w-${Math.random()}` },
        ),
        await trader.order(
          { side: "buy", mint: env.sandbox.stack.ready.mints.USDC, amount: "1000000" },
          `o-${Math.random()}`,
          { "x-trading-session": "" },
        ),
      ];
      return answers.map((answer) => `${answer.status} ${answer.body.error?.code}`);
    };
    const before = await attempts();
    await grantFor(trader);
    expect(await attempts()).toEqual(before);
    expect(before).toEqual([
      "403 WALLET_DECRYPT_FAILED",
      "401 SESSION_NOT_FOUND",
      "401 SESSION_NOT_FOUND",
    ]);
    const withdrawals = await db().selectFrom("withdrawals").select("id").execute();
    expect(withdrawals).toEqual([]);
  });
});

describe("automation off (no AUTOMATION_KEY)", () => {
  it("answers 503 AUTOMATION_DISABLED to a grant and enabled:false to a read", async () => {
    const server = await startTestApp();
    try {
      const http = createHttpClient(server.url);
      const auth = await http.signUp("no-automation");
      const wallet = await http.call("POST", "/v1/wallets", { password: PASSWORD }, auth);
      const path = `/v1/wallets/${String(wallet.body.id)}/automation`;
      const made = await http.call("POST", path, grantBody(), auth);
      expect([made.status, made.body.error?.code]).toEqual([503, "AUTOMATION_DISABLED"]);
      const read = await http.call("GET", path, undefined, auth);
      expect(read.body).toEqual({ enabled: false, grant: null });
      expect((await http.call("GET", "/v1/meta")).body.automation).toBe(false);
      const rows = await server.app.store.database.db
        .selectFrom("automationGrants")
        .select("id")
        .execute();
      expect(rows).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
