import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpClient } from "../support/http-client.js";
import { startTestApp } from "../support/test-app.js";

const PASSWORD = "wallet password";
const DAY = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();
const valid = {
  password: PASSWORD,
  maxOrderLamports: "100000000",
  maxDailyLamports: "500000000",
  orderTypes: ["limit_buy"],
  expiresAt: inDays(1),
};

describe("automation grants: bad input changes nothing", () => {
  let server: Awaited<ReturnType<typeof startTestApp>>;
  let auth: Record<string, string>;
  let walletId: string;
  const http = () => createHttpClient(server.url);
  const path = (id = walletId) => `/v1/wallets/${id}/automation`;
  const rows = () =>
    server.app.store.database.db.selectFrom("automationGrants").select("id").execute();
  const grantAudits = () =>
    server.app.store.database.db
      .selectFrom("auditLog")
      .select(["action", "detail"])
      .where("action", "like", "automation.%")
      .execute();

  beforeAll(async () => {
    server = await startTestApp({ AUTOMATION_KEY: randomBytes(32).toString("hex") });
    auth = await http().signUp("bad-input");
    const wallet = await http().call("POST", "/v1/wallets", { password: PASSWORD }, auth);
    walletId = String(wallet.body.id);
  }, 60_000);
  afterAll(() => server?.close());

  const cases: [string, Record<string, unknown>][] = [
    ["maxOrderLamports 0", { maxOrderLamports: "0" }],
    ["maxOrderLamports negative", { maxOrderLamports: "-5" }],
    ["maxOrderLamports not digits", { maxOrderLamports: "1e9" }],
    ["maxOrderLamports a number", { maxOrderLamports: 100 }],
    ["maxDailyLamports 0", { maxDailyLamports: "0" }],
    ["maxDailyLamports negative", { maxDailyLamports: "-1" }],
    ["maxDailyLamports decimal", { maxDailyLamports: "1.5" }],
    ["maxOrder above maxDaily", { maxOrderLamports: "600000000" }],
    ["orderTypes empty", { orderTypes: [] }],
    ["orderTypes unknown", { orderTypes: ["market_sell"] }],
    ["orderTypes repeated", { orderTypes: ["dca", "dca"] }],
    ["expiresAt past", { expiresAt: inDays(-1) }],
    ["expiresAt in 30 s", { expiresAt: new Date(Date.now() + 30_000).toISOString() }],
    ["expiresAt beyond 30 days", { expiresAt: inDays(31) }],
    ["expiresAt not a date", { expiresAt: "next week" }],
    ["password missing", { password: undefined }],
    ["an unknown field", { sealedKey: "x" }],
  ];
  it.each(cases)("%s → 400 INVALID_INPUT, no grant, no audit", async (_name, change) => {
    const answer = await http().call("POST", path(), { ...valid, ...change }, auth);
    expect([answer.status, answer.body.error?.code]).toEqual([400, "INVALID_INPUT"]);
    expect(await rows()).toEqual([]);
    expect(await grantAudits()).toEqual([]);
  });

  it("a wrong password → 403 WALLET_DECRYPT_FAILED, audited as failed, no grant", async () => {
    const answer = await http().call("POST", path(), { ...valid, password: "not the one" }, auth);
    expect([answer.status, answer.body.error?.code]).toEqual([403, "WALLET_DECRYPT_FAILED"]);
    expect(await rows()).toEqual([]);
    const audits = await grantAudits();
    expect(audits.length).toBeGreaterThan(0);
    for (const audit of audits) expect(JSON.parse(String(audit.detail)).outcome).toBe("failed");
  });

  it("an API key (even full scope) → 403 LOGIN_REQUIRED; another user's wallet → 404", async () => {
    const key = await http().call("POST", "/v1/api-keys", { name: "k", scope: "full" }, auth);
    const byKey = await http().call("POST", path(), valid, { "x-api-key": String(key.body.key) });
    expect([byKey.status, byKey.body.error?.code]).toEqual([403, "LOGIN_REQUIRED"]);
    const other = await http().signUp("bad-input-other");
    for (const method of ["POST", "GET", "DELETE"]) {
      const answer = await http().call(
        method,
        path(),
        method === "POST" ? valid : undefined,
        other,
      );
      expect([method, answer.status, answer.body.error?.code]).toEqual([method, 404, "NOT_FOUND"]);
    }
    const missing = await http().call("GET", path("not-a-wallet"), undefined, auth);
    expect(missing.status).toBe(404);
    expect(await rows()).toEqual([]);
  });

  it("the valid body works, so the refusals above were for their field", async () => {
    const answer = await http().call("POST", path(), valid, auth);
    expect(answer.status, answer.text).toBe(201);
    expect(await rows()).toHaveLength(1);
  });
});
