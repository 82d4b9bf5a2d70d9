import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { describeEachDatabaseKind } from "../support/databases.js";
import { createHttpClient } from "../support/http-client.js";
import { createTrader, type Trader, useTradingApp } from "../trading/trading-setup.js";
import {
  buy,
  countTriggers,
  grantFor,
  priceOf,
  SOL,
  TRIGGER_APP_ENV,
  triggerClient,
} from "./trigger-api-setup.js";

type Who = "holder" | "stranger" | "ungranted" | "limitOnly" | "expired";
interface Refusal {
  readonly name: string;
  readonly who?: Who;
  readonly body: (ctx: Context) => Record<string, unknown>;
  readonly status: number;
  readonly code: string;
  readonly checks?: Record<string, string>;
}
interface Context {
  readonly mint: (symbol: string) => string;
  readonly risky: (symbol: string) => string;
  readonly price: number;
  readonly held: bigint;
  readonly traders: Record<Who, Trader>;
}

const fmt = (n: number) =>
  n.toLocaleString("en-US", { useGrouping: false, maximumFractionDigits: 18 });
const DAY = 86_400_000;
const buyBody = (ctx: Context) => ({
  type: "limit_buy",
  mint: ctx.mint("WIFY"),
  amountLamports: "1000000",
  priceUsd: "0.0000001",
});
const tpBody = (ctx: Context) => ({
  type: "take_profit",
  mint: ctx.mint("BONKY"),
  priceUsd: fmt(ctx.price * 3),
  percent: 50,
});
const dcaBody = (ctx: Context) => ({
  type: "dca",
  mint: ctx.mint("WIFY"),
  amountLamports: "1000000",
  intervalSeconds: 2,
  count: 3,
});
const trailBody = (ctx: Context) => ({
  type: "trailing_stop",
  mint: ctx.mint("BONKY"),
  trailPercent: 10,
  percent: 100,
});
const with_ =
  (
    base: (ctx: Context) => Record<string, unknown>,
    extra: (ctx: Context) => Record<string, unknown>,
  ) =>
  (ctx: Context) => ({ ...base(ctx), ...extra(ctx) });
const bad = (name: string, body: Refusal["body"]): Refusal => ({
  name,
  body,
  status: 400,
  code: "INVALID_INPUT",
});

/** The bad-input table, and every refusal of the checks after it. */
const REFUSALS: Refusal[] = [
  bad(
    "price zero",
    with_(buyBody, () => ({ priceUsd: "0" })),
  ),
  bad(
    "price 0.000",
    with_(buyBody, () => ({ priceUsd: "0.000" })),
  ),
  bad(
    "negative price",
    with_(buyBody, () => ({ priceUsd: "-1" })),
  ),
  bad(
    "price not a decimal",
    with_(buyBody, () => ({ priceUsd: "1e-6" })),
  ),
  bad(
    "price as a number",
    with_(buyBody, () => ({ priceUsd: 1 })),
  ),
  bad(
    "price with 19 decimals",
    with_(buyBody, () => ({ priceUsd: "0.1234567890123456789" })),
  ),
  bad(
    "dca band min above max",
    with_(dcaBody, () => ({ priceMinUsd: "2", priceMaxUsd: "1" })),
  ),
  bad(
    "dca band price zero",
    with_(dcaBody, () => ({ priceMinUsd: "0" })),
  ),
  bad(
    "amount zero",
    with_(buyBody, () => ({ amountLamports: "0" })),
  ),
  bad(
    "amount not digits",
    with_(buyBody, () => ({ amountLamports: "1.5" })),
  ),
  bad(
    "take-profit change 0 %",
    with_(tpBody, () => ({ priceUsd: undefined, changePercent: 0 })),
  ),
  bad(
    "take-profit change above 1000 %",
    with_(tpBody, () => ({ priceUsd: undefined, changePercent: 1001 })),
  ),
  bad("stop-loss change 100 %", (ctx) => ({
    ...tpBody(ctx),
    type: "stop_loss",
    priceUsd: undefined,
    changePercent: 100,
  })),
  bad(
    "price and change both",
    with_(tpBody, () => ({ changePercent: 10 })),
  ),
  bad(
    "sell percent 0",
    with_(tpBody, () => ({ percent: 0 })),
  ),
  bad(
    "sell percent above 100",
    with_(tpBody, () => ({ percent: 100.5 })),
  ),
  bad(
    "sell percent and amount",
    with_(tpBody, () => ({ amount: "1" })),
  ),
  bad(
    "trail below 0.1 %",
    with_(trailBody, () => ({ trailPercent: 0.05 })),
  ),
  bad(
    "trail above 99 %",
    with_(trailBody, () => ({ trailPercent: 99.5 })),
  ),
  bad(
    "dca interval too short",
    with_(dcaBody, () => ({ intervalSeconds: 1 })),
  ),
  bad(
    "dca interval not whole",
    with_(dcaBody, () => ({ intervalSeconds: 2.5 })),
  ),
  bad(
    "dca count too large",
    with_(dcaBody, () => ({ count: 101 })),
  ),
  bad(
    "dca count of one",
    with_(dcaBody, () => ({ count: 1 })),
  ),
  bad(
    "expiry in the past",
    with_(buyBody, () => ({ expiresAt: new Date(Date.now() - 1000).toISOString() })),
  ),
  bad(
    "expiry beyond the grant",
    with_(buyBody, () => ({ expiresAt: new Date(Date.now() + 2 * DAY).toISOString() })),
  ),
  bad(
    "expiry not a time",
    with_(buyBody, () => ({ expiresAt: "tomorrow" })),
  ),
  bad(
    "unknown field",
    with_(buyBody, () => ({ color: "red" })),
  ),
  bad(
    "unknown type",
    with_(buyBody, () => ({ type: "market_buy" })),
  ),
  bad(
    "slippage zero",
    with_(buyBody, () => ({ slippageBps: 0 })),
  ),
  bad(
    "SOL itself",
    with_(buyBody, () => ({ mint: "So11111111111111111111111111111111111111112" })),
  ),
  bad(
    "take-profit not above the price",
    with_(tpBody, (ctx) => ({ priceUsd: fmt(ctx.price / 2) })),
  ),
  bad("stop-loss not below the price", (ctx) => ({
    ...tpBody(ctx),
    type: "stop_loss",
    priceUsd: fmt(ctx.price * 2),
  })),
  bad("sell amount above the holding", (ctx) => ({
    ...tpBody(ctx),
    percent: undefined,
    amount: String(ctx.held + 1n),
  })),
  {
    name: "another user's wallet",
    body: (ctx) => ({ ...buyBody(ctx), walletId: ctx.traders.stranger.walletId }),
    status: 404,
    code: "NOT_FOUND",
  },
  {
    name: "no such wallet",
    body: (ctx) => ({ ...buyBody(ctx), walletId: "0190a5b0-0000-7000-8000-00000000dead" }),
    status: 404,
    code: "NOT_FOUND",
  },
  {
    name: "another user's position",
    who: "stranger",
    body: tpBody,
    status: 422,
    code: "POSITION_NOT_FOUND",
  },
  {
    name: "a trailing stop on no position",
    who: "stranger",
    body: trailBody,
    status: 422,
    code: "POSITION_NOT_FOUND",
  },
  { name: "no grant", who: "ungranted", body: buyBody, status: 404, code: "GRANT_NOT_FOUND" },
  { name: "an expired grant", who: "expired", body: buyBody, status: 404, code: "GRANT_NOT_FOUND" },
  {
    name: "a type the grant does not allow",
    who: "limitOnly",
    body: dcaBody,
    status: 422,
    code: "GRANT_TYPE_NOT_ALLOWED",
  },
  {
    name: "a buy above the grant's per-order limit",
    body: with_(buyBody, () => ({ amountLamports: String(SOL + 1n) })),
    status: 422,
    code: "GRANT_LIMIT_EXCEEDED",
  },
  {
    name: "a DCA buy above the limit",
    body: with_(dcaBody, () => ({ amountLamports: String(2n * SOL) })),
    status: 422,
    code: "GRANT_LIMIT_EXCEEDED",
  },
  {
    name: "a blocked token",
    body: with_(buyBody, (ctx) => ({ mint: ctx.risky("FREEZE"), acceptRisk: true })),
    status: 422,
    code: "SAFETY_BLOCKED",
    checks: { freeze_authority: "fail" },
  },
  {
    name: "a blocked token by DCA",
    body: with_(dcaBody, (ctx) => ({ mint: ctx.risky("FEE99") })),
    status: 422,
    code: "SAFETY_BLOCKED",
    checks: { transfer_fee: "fail" },
  },
  {
    name: "a risky token without acceptRisk",
    body: with_(buyBody, (ctx) => ({ mint: ctx.risky("PRINT") })),
    status: 422,
    code: "RISK_NOT_ACCEPTED",
    checks: { mint_authority: "warn" },
  },
];

describeEachDatabaseKind(
  "trigger API refusals: 4xx with a code, and nothing written [%s]",
  (database) => {
    const env = useTradingApp(database, () => ({}), TRIGGER_APP_ENV);
    let ctx: Context;

    beforeAll(async () => {
      const { url } = env.server;
      const traders = {} as Record<Who, Trader>;
      for (const who of ["holder", "stranger", "ungranted", "limitOnly", "expired"] as const)
        traders[who] = await createTrader(env.sandbox, url, `refuse-${who}`);
      await grantFor(env.server, traders.holder);
      await grantFor(env.server, traders.stranger);
      await grantFor(env.server, traders.limitOnly, { orderTypes: ["limit_buy"] });
      await grantFor(env.server, traders.expired, { expiresAt: Date.now() - 1000 });
      const mint = (symbol: string) => env.sandbox.stack.ready.mints[symbol] ?? "";
      const risky = (symbol: string) => env.sandbox.stack.ready.risky[symbol] ?? "";
      await buy(traders.holder, mint("BONKY"), SOL / 10n, "refuse-holder-buy");
      const held = await traders.holder.tokenBalance(mint("BONKY"));
      ctx = { mint, risky, price: await priceOf(env.sandbox, mint("BONKY")), held, traders };
    }, 60_000);

    it.each(REFUSALS.map((refusal) => [refusal.name, refusal] as const))(
      "refuses %s",
      async (_name, refusal) => {
        const rows = await countTriggers(env.server);
        const trader = ctx.traders[refusal.who ?? "holder"];
        const result = await triggerClient(env.server.url, trader).create(refusal.body(ctx));
        expect(result.status, result.text).toBe(refusal.status);
        expect(result.body.error?.code).toBe(refusal.code);
        expect(result.body.error?.message.length).toBeGreaterThan(0);
        for (const [id, status] of Object.entries(refusal.checks ?? {}))
          expect(
            (result.body.error?.details as { checks?: unknown[] } | undefined)?.checks,
          ).toContainEqual(expect.objectContaining({ id, status }));
        expect(await countTriggers(env.server)).toBe(rows);
      },
      30_000,
    );

    it("names the field in the message of a bad input", async () => {
      const api = triggerClient(env.server.url, ctx.traders.holder);
      const cases: [Record<string, unknown>, string][] = [
        [with_(buyBody, () => ({ priceUsd: "0" }))(ctx), "priceUsd"],
        [with_(trailBody, () => ({ trailPercent: 0 }))(ctx), "trailPercent"],
        [with_(dcaBody, () => ({ intervalSeconds: 1 }))(ctx), "intervalSeconds"],
        [with_(dcaBody, () => ({ count: 500 }))(ctx), "count"],
        [
          with_(buyBody, () => ({ expiresAt: new Date(Date.now() + 2 * DAY).toISOString() }))(ctx),
          "expiresAt",
        ],
        [with_(buyBody, () => ({ color: "red" }))(ctx), "color"],
      ];
      for (const [body, field] of cases) {
        const result = await api.create(body);
        expect(result.body.error?.message, field).toContain(field);
      }
    });

    it("accepts the risky token with acceptRisk (the control for the refusals)", async () => {
      const rows = await countTriggers(env.server);
      const api = triggerClient(env.server.url, ctx.traders.holder);
      const accepted = await api.create({
        ...buyBody(ctx),
        mint: ctx.risky("PRINT"),
        acceptRisk: true,
      });
      expect(accepted.status, accepted.text).toBe(201);
      expect(accepted.body.params).toMatchObject({ acceptRisk: true });
      expect(await countTriggers(env.server)).toBe(rows + 1);
    });

    it("answers 503 AUTOMATION_DISABLED on a server without an automation key", async () => {
      const rows = await countTriggers(env.server);
      const dir = mkdtempSync(join(tmpdir(), "osprey-no-automation-"));
      const server = await env.sandbox.startApp({}, { DATA_DIR: dir });
      try {
        const http = createHttpClient(server.url);
        const auth = await http.signUp(`no-automation-${database}`);
        const body = { ...buyBody(ctx), walletId: ctx.traders.holder.walletId };
        const refused = await http.call("POST", "/v1/triggers", body, auth);
        expect(refused.status, refused.text).toBe(503);
        expect(refused.body.error?.code).toBe("AUTOMATION_DISABLED");
        // On PostgreSQL both servers share one database; on SQLite the second has its own.
        expect(await countTriggers(env.server)).toBe(rows);
        expect(await countTriggers(server)).toBe(database === "postgres" ? rows : 0);
      } finally {
        await server.close();
        rmSync(dir, { recursive: true, force: true });
      }
    }, 60_000);
  },
);
