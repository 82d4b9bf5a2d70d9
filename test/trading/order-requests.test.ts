import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { address } from "@solana/kit";
import { beforeAll, describe, expect, it } from "vitest";
import { createHttpClient } from "../support/http-client.js";
import { createTrader, type Trader, useTradingApp } from "./trading-setup.js";

describe("idempotency, isolation and bad input on the order routes", () => {
  const env = useTradingApp();
  let mint: string;
  const txCount = (trader: Trader) =>
    env.sandbox.stack.sandbox.chain.getTransactionsForAddress(address(trader.publicKey)).length;

  beforeAll(() => {
    mint = env.sandbox.stack.ready.mints.BONKY ?? "";
  });

  it("returns the same order for a retried key, concurrent or later, and trades once", async () => {
    const trader = await createTrader(env.sandbox, env.server.url, "retrier");
    const before = txCount(trader);
    const body = { side: "buy", mint, amountLamports: "50000000", slippageBps: 200 };
    const first = await Promise.all([1, 2, 3].map(() => trader.order(body, "same-key-1")));
    const ids = new Set(first.map((reply) => reply.body.id));
    expect(ids.size).toBe(1);
    expect(first.map((reply) => reply.status).sort()).toEqual([200, 200, 202]);
    const settled = await trader.settle(String(first[0]?.body.id));
    expect(settled.status).toBe("CONFIRMED");
    const again = await trader.order(body, "same-key-1");
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: settled.id, status: "CONFIRMED" });
    expect(txCount(trader)).toBe(before + 1);

    const conflict = await trader.order({ ...body, amountLamports: "60000000" }, "same-key-1");
    expect(conflict.status).toBe(409);
    expect(conflict.body.error?.code).toBe("IDEMPOTENCY_CONFLICT");
    expect(txCount(trader)).toBe(before + 1);
  }, 60_000);

  it("keeps keys and orders per user: B reuses A's key for its own order and cannot see A's", async () => {
    const alice = await createTrader(env.sandbox, env.server.url, "alice-orders");
    const bob = await createTrader(env.sandbox, env.server.url, "bob-orders");
    const body = { side: "buy", mint, amountLamports: "20000000" };
    const a = await alice.order(body, "shared-key");
    const b = await bob.order(body, "shared-key");
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(b.body.id).not.toBe(a.body.id);
    expect((await bob.get(`/v1/orders/${String(a.body.id)}`)).status).toBe(404);
    expect((await bob.get(`/v1/orders/${String(a.body.id)}`)).body.error?.code).toBe(
      "ORDER_NOT_FOUND",
    );
    const listed = await bob.get("/v1/orders");
    const ids = (listed.body.orders as { id: string }[]).map((order) => order.id);
    expect(ids).toEqual([b.body.id]);
    // Bob's session cannot trade from Alice's wallet, nor Alice's session for Bob.
    const crossed = await alice.order(body, "crossed", {
      "x-trading-session": bob.headers["x-trading-session"] ?? "",
    });
    expect(crossed.status).toBe(401);
  }, 60_000);

  it("limits how many orders one user places per minute, and reads separately", async () => {
    const dir = mkdtempSync(join(tmpdir(), "osprey-order-limit-"));
    const limited = await env.sandbox.startApp({}, { ORDER_RATE_LIMIT: "2", DATA_DIR: dir });
    try {
      const eager = await createTrader(env.sandbox, limited.url, "eager");
      const calm = await createTrader(env.sandbox, limited.url, "calm");
      const body = { side: "buy", mint, amountLamports: "0" }; // refused: counts all the same
      const statuses = [];
      for (let n = 0; n < 3; n++) statuses.push((await eager.order(body, `limit-${n}`)).status);
      expect(statuses).toEqual([400, 400, 429]);
      const refused = await eager.order(body, "limit-3");
      expect(refused.body).toMatchObject({ error: { code: "RATE_LIMITED" } });
      expect((await eager.get("/v1/orders")).status).toBe(200);
      expect((await calm.order(body, "limit-0")).status).toBe(400); // another user's own count
    } finally {
      await limited.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("answers bad input with a 4xx and a code, and writes or sends nothing", async () => {
    const trader = await createTrader(env.sandbox, env.server.url, "sloppy");
    const before = txCount(trader);
    const unknownMint = "9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin";
    const buy = (fields: Record<string, unknown>) => ({
      side: "buy",
      mint,
      amountLamports: "1000000",
      ...fields,
    });
    const sell = (fields: Record<string, unknown>) => ({
      side: "sell",
      mint,
      percent: 50,
      ...fields,
    });
    const cases: [string, unknown, number, string][] = [
      ["unknown mint", buy({ mint: unknownMint }), 404, "TOKEN_NOT_FOUND"],
      ["sell of an unheld mint", sell({ mint: unknownMint }), 422, "INSUFFICIENT_FUNDS"],
      ["malformed mint", buy({ mint: "not-a-mint" }), 400, "INVALID_INPUT"],
      [
        "SOL itself",
        buy({ mint: "So11111111111111111111111111111111111111112" }),
        400,
        "INVALID_INPUT",
      ],
      ["zero", buy({ amountLamports: "0" }), 400, "INVALID_INPUT"],
      ["negative", buy({ amountLamports: "-5" }), 400, "INVALID_INPUT"],
      ["fractional", buy({ amountLamports: "1.5" }), 400, "INVALID_INPUT"],
      ["a number", buy({ amountLamports: 1000000 }), 400, "INVALID_INPUT"],
      ["beyond u64", buy({ amountLamports: "99999999999999999999999" }), 400, "INVALID_INPUT"],
      [
        "beyond exact quoting",
        buy({ amountLamports: "18446744073709551615" }),
        400,
        "INVALID_AMOUNT",
      ],
      ["more than held", buy({ amountLamports: "900000000000" }), 422, "INSUFFICIENT_FUNDS"],
      ["percent 0", sell({ percent: 0 }), 400, "INVALID_INPUT"],
      ["percent 101", sell({ percent: 101 }), 400, "INVALID_INPUT"],
      ["percent 50.5", sell({ percent: 50.5 }), 400, "INVALID_INPUT"],
      ["amount and percent", sell({ amount: "10" }), 400, "INVALID_INPUT"],
      ["sell zero", sell({ percent: undefined, amount: "0" }), 400, "INVALID_INPUT"],
      ["slippage 0", buy({ slippageBps: 0 }), 400, "INVALID_INPUT"],
      ["slippage 5001", buy({ slippageBps: 5001 }), 400, "INVALID_INPUT"],
      ["unknown side", { side: "short", mint }, 400, "INVALID_INPUT"],
      ["extra field", buy({ leverage: 10 }), 400, "INVALID_INPUT"],
    ];
    for (const [name, body, status, code] of cases) {
      const reply = await trader.order(body, `bad-${name.replaceAll(" ", "-")}`);
      expect(reply.status, `${name}: ${reply.text}`).toBe(status);
      expect(reply.body.error?.code, name).toBe(code);
    }

    const http = createHttpClient(env.server.url);
    const good = buy({});
    const noKey = await http.call("POST", "/v1/orders", good, trader.headers);
    expect([noKey.status, noKey.body.error?.code]).toEqual([400, "IDEMPOTENCY_KEY_REQUIRED"]);
    const badKey = await trader.order(good, "has spaces");
    expect([badKey.status, badKey.body.error?.code]).toEqual([400, "IDEMPOTENCY_KEY_REQUIRED"]);
    const longKey = await trader.order(good, "k".repeat(129));
    expect(longKey.status).toBe(400);
    const noSession = await trader.order(good, "no-session", { "x-trading-session": "" });
    expect([noSession.status, noSession.body.error?.code]).toEqual([401, "SESSION_NOT_FOUND"]);
    const bogus = await trader.order(good, "bogus", { "x-trading-session": "abc.def" });
    expect(bogus.status).toBe(401);
    const anonymous = await http.call("POST", "/v1/orders", good, { "idempotency-key": "anon" });
    expect(anonymous.status).toBe(401);

    // An ended session is refused like a missing one.
    await http.call("DELETE", "/v1/sessions/current", undefined, trader.headers);
    const expired = await trader.order(good, "after-revoke");
    expect(expired.status).toBe(401);
    expect(["SESSION_NOT_FOUND", "SESSION_EXPIRED"]).toContain(expired.body.error?.code);

    expect((await trader.get("/v1/orders")).body.orders).toEqual([]);
    expect((await trader.get("/v1/positions")).body.positions).toEqual([]);
    expect(txCount(trader)).toBe(before);
    expect((await trader.get("/v1/orders/not-an-id")).status).toBe(404);
    expect((await trader.get("/v1/orders?limit=0")).status).toBe(400);
  }, 60_000);
});
