import { afterAll, describe, expect, it } from "vitest";
import { ApiError, createApiClient, waitForOrder } from "../../src/cli/api-client.js";
import {
  parseBaseUnitsArgument,
  parsePercent,
  parseSlippageBps,
  parseSolToLamports,
  resolveMint,
} from "../../src/cli/trade-arguments.js";
import { U64_MAX } from "../../src/core/amounts.js";
import { sendJson, startJsonServer } from "../support/json-server.js";
import { runOsprey } from "../support/spawn-osprey.js";

const BONKY = "aocFF2EsiwkR4YbD55mgp2NPXxB1SFvsRkTUfQguYwC";

describe("parseSolToLamports", () => {
  it.each([
    ["1", 1_000_000_000n],
    ["1.5", 1_500_000_000n],
    ["0.000000001", 1n],
    [".25", 250_000_000n],
    ["2.", 2_000_000_000n],
    ["007.100000000", 7_100_000_000n],
    ["123456789.123456789", 123_456_789_123_456_789n],
    ["18446744073.709551615", U64_MAX],
  ])("%s SOL is exactly %s lamports", (text, expected) => {
    expect(parseSolToLamports(text)).toBe(expected);
  });

  it.each([
    ["0.0000000001", /at most 9 digits/],
    ["1.1234567890", /at most 9 digits/],
    ["-1", /amount of SOL/],
    ["+1", /amount of SOL/],
    ["1e9", /amount of SOL/],
    ["0x10", /amount of SOL/],
    ["abc", /amount of SOL/],
    ["", /amount of SOL/],
    [".", /amount of SOL/],
    ["1.2.3", /amount of SOL/],
    ["1,5", /amount of SOL/],
    ["0", /above zero/],
    ["0.000000000", /above zero/],
    ["18446744073.709551616", /64 bits/],
  ])("refuses %j", (text, message) => {
    expect(() => parseSolToLamports(text)).toThrow(message);
  });
});

describe("other argument parsers", () => {
  it("takes base units as digits only, above zero and within u64", () => {
    expect(parseBaseUnitsArgument("18446744073709551615")).toBe(U64_MAX);
    for (const bad of ["0", "-5", "1.5", "1e3", "18446744073709551616", ""])
      expect(() => parseBaseUnitsArgument(bad)).toThrow();
  });

  it("bounds slippage to 1-5000 bps and percent to 1-100, whole numbers", () => {
    expect(parseSlippageBps("50")).toBe(50);
    expect(parsePercent("100")).toBe(100);
    for (const bad of ["0", "5001", "1.5", "-1", "abc"])
      expect(() => parseSlippageBps(bad)).toThrow();
    for (const bad of ["0", "101", "50.5", ""]) expect(() => parsePercent(bad)).toThrow();
  });

  it("resolves a mint as is, a symbol through OSPREY_MINTS, and refuses the rest", () => {
    expect(resolveMint(BONKY, {})).toBe(BONKY);
    expect(resolveMint("bonky", { OSPREY_MINTS: JSON.stringify({ BONKY }) })).toBe(BONKY);
    expect(() => resolveMint("BONKY", {})).toThrow(/set OSPREY_MINTS/);
    expect(() => resolveMint("WIFY", { OSPREY_MINTS: JSON.stringify({ BONKY }) })).toThrow(
      /nor a symbol/,
    );
    expect(() => resolveMint("BONKY", { OSPREY_MINTS: "{" })).toThrow(/not JSON/);
  });
});

describe("the API client against a local HTTP server", async () => {
  const server = await startJsonServer((request, response) => {
    if (request.url === "/v1/orders" && request.method === "POST")
      return sendJson(response, 422, {
        error: { code: "SAFETY_BLOCKED", message: "blocked", details: { checks: ["freeze"] } },
      });
    if (request.url === "/v1/positions") return sendJson(response, 200, { positions: [{ a: 1 }] });
    if (request.url === "/v1/orders") return sendJson(response, 200, [{ id: "o1" }]);
    if (request.url === "/v1/orders/o1") return sendJson(response, 200, nextOrder());
    if (request.url === "/teapot") return sendJson(response, 418, { nope: true });
    if (request.url === "/html") {
      response.writeHead(502, { "content-type": "text/html" });
      return void response.end("<html>bad gateway</html>");
    }
    if (request.url === "/slow") return; // never answers: the client's timeout must fire
    sendJson(response, 404, { error: { code: "ROUTE_NOT_FOUND", message: "No route." } });
  });
  const statuses = ["PENDING", "SUBMITTED", "CONFIRMED"];
  const nextOrder = () => ({ id: "o1", status: statuses.shift() ?? "CONFIRMED", events: [] });
  afterAll(() => server.close());
  const client = createApiClient({ baseUrl: `${server.url}/`, token: "tok", session: "ses" });

  const failure = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  };

  it("turns the error shape into an ApiError with code, status, message and details", async () => {
    const error = await failure(
      client.createOrder({ side: "buy", mint: BONKY, amountLamports: "5" }, "key-1"),
    );
    expect(error).toMatchObject({ code: "SAFETY_BLOCKED", status: 422, message: "blocked" });
    expect(error.details).toEqual({ checks: ["freeze"] });
    const sent = server.requests.at(-1);
    expect(sent?.headers).toMatchObject({
      authorization: "Bearer tok",
      "x-trading-session": "ses",
      "idempotency-key": "key-1",
      "content-type": "application/json",
    });
    expect(JSON.parse(sent?.body ?? "")).toEqual({ side: "buy", mint: BONKY, amountLamports: "5" });
  });

  it("names other failures: no error shape, not JSON, unreachable, timeout", async () => {
    expect(await failure(client.request("GET", "/teapot"))).toMatchObject({
      code: "HTTP_418",
      status: 418,
    });
    expect(await failure(client.request("GET", "/html"))).toMatchObject({
      code: "BAD_RESPONSE",
      status: 502,
    });
    const slow = createApiClient({ baseUrl: server.url, timeoutMs: 200 });
    expect(await failure(slow.request("GET", "/slow"))).toMatchObject({ code: "API_TIMEOUT" });
    const closed = await startJsonServer(() => {});
    await closed.close();
    const gone = await failure(createApiClient({ baseUrl: closed.url }).listOrders());
    expect(gone).toMatchObject({ code: "API_UNREACHABLE", status: null });
    expect(gone.message).toContain(closed.url);
  });

  it("reads list routes bare or wrapped, and polls an order until it is terminal", async () => {
    expect(await client.listOrders()).toEqual([{ id: "o1" }]);
    expect(await client.listPositions()).toEqual([{ a: 1 }]);
    const sleeps: number[] = [];
    const order = await waitForOrder(client, "o1", {
      intervalMs: 5,
      sleep: async (ms) => void sleeps.push(ms),
    });
    expect(order.status).toBe("CONFIRMED");
    expect(sleeps).toEqual([5, 5]);
  });
});

describe("argument validation exit codes (as a user runs them)", () => {
  const env = {
    OSPREY_TOKEN: "t",
    OSPREY_SESSION: "s",
    OSPREY_API_URL: "http://127.0.0.1:9",
    OSPREY_MINTS: "",
  };
  it.each([
    [["buy", BONKY, "0.1234567891"], /at most 9 digits/],
    [["buy", BONKY], /either <sol> or --lamports/],
    [["buy", BONKY, "1", "--lamports", "5"], /either <sol> or --lamports/],
    [["buy", "BONKY", "1"], /set OSPREY_MINTS/],
    [["buy", BONKY, "1", "--slippage", "9000"], /basis points from 1 to 5000/],
    [["sell", BONKY], /exactly one of --percent or --amount/],
    [["sell", BONKY, "--percent", "101"], /whole percentage/],
    [["sell", BONKY, "--amount", "-3"], /base units/],
  ])("osprey %j exits 2 with a message", { timeout: 90_000 }, async (args, message) => {
    const run = await runOsprey(args, env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it("exits 2 without credentials, 1 with the error code when the API is down", {
    timeout: 90_000,
  }, async () => {
    const noToken = await runOsprey(["positions"], { OSPREY_TOKEN: "" });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain("OSPREY_TOKEN");
    const down = await runOsprey(["orders", "--json"], env);
    expect(down.code).toBe(1);
    expect(JSON.parse(down.stdout)).toMatchObject({ error: { code: "API_UNREACHABLE" } });
  });
});

describe("buy, sell, orders and positions against a scripted order API", async () => {
  const order = (side: string, status: string) => ({
    id: `order-${side}`,
    side,
    mint: BONKY,
    status,
    amountIn: side === "buy" ? "1500000001" : "12345",
    amountOut: side === "buy" ? "12345" : "900000000",
    commissionLamports: "12750000",
    commissionUsd: "1.91",
    signature: "sig",
    slot: 7,
    error: null,
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:01.000Z",
    events: [{ status, at: "2026-01-01T00:00:01.000Z", detail: null }],
  });
  const server = await startJsonServer((request, response) => {
    if (request.method === "POST" && request.url === "/v1/orders") {
      const body = JSON.parse(request.body) as { side: string };
      return sendJson(response, 202, order(body.side, "PENDING"));
    }
    if (request.url?.startsWith("/v1/orders/order-"))
      return sendJson(response, 200, order(request.url.slice(17), "CONFIRMED"));
    if (request.url === "/v1/wallets")
      return sendJson(response, 200, [{ id: "w1", tokens: [{ mint: BONKY, decimals: 5 }] }]);
    if (request.url === "/v1/positions")
      return sendJson(response, 200, [{ mint: BONKY, amount: "6172", realizedPnlLamports: "-5" }]);
    sendJson(response, 404, { error: { code: "ROUTE_NOT_FOUND", message: "No route." } });
  });
  afterAll(() => server.close());
  const env = { OSPREY_TOKEN: "tok", OSPREY_SESSION: "ses", OSPREY_API_URL: server.url };

  it("sends the exact lamports with a printed idempotency key, waits, and prints the fill", {
    timeout: 90_000,
  }, async () => {
    const run = await runOsprey(["buy", BONKY, "1.500000001", "--slippage", "75"], env);
    expect(run.code, run.stderr).toBe(0);
    const posted = server.requests.find((r) => r.method === "POST");
    expect(JSON.parse(posted?.body ?? "")).toEqual({
      side: "buy",
      mint: BONKY,
      amountLamports: "1500000001",
      slippageBps: 75,
    });
    const key = String(posted?.headers["idempotency-key"]);
    expect(run.stdout).toContain(`--idempotency-key ${key}`);
    expect(run.stdout).toMatch(/order order-buy {2}buy \S+ {2}CONFIRMED/);
    expect(run.stdout).toContain("in: 1.500000001 SOL   out: 0.12345");
    expect(run.stdout).toContain("commission: 0.01275 SOL");
  });

  it("sells a percentage with a given key and prints one JSON object with --json", {
    timeout: 90_000,
  }, async () => {
    const run = await runOsprey(
      ["sell", BONKY, "--percent", "50", "--idempotency-key", "retry-1", "--json"],
      env,
    );
    expect(run.code, run.stderr).toBe(0);
    const posted = server.requests.filter((r) => r.method === "POST").at(-1);
    expect(posted?.headers["idempotency-key"]).toBe("retry-1");
    expect(JSON.parse(posted?.body ?? "")).toEqual({ side: "sell", mint: BONKY, percent: 50 });
    expect(JSON.parse(run.stdout)).toMatchObject({
      idempotencyKey: "retry-1",
      id: "order-sell",
      status: "CONFIRMED",
    });
  });

  it("--no-wait returns the accepted order; --accept-risk and --lamports go on the wire", {
    timeout: 90_000,
  }, async () => {
    const before = server.requests.length;
    const run = await runOsprey(
      ["buy", BONKY, "--lamports", "42", "--accept-risk", "--no-wait", "--json"],
      env,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: "PENDING" });
    const sent = server.requests.slice(before);
    expect(sent.map((r) => r.method)).toEqual(["POST"]);
    expect(JSON.parse(sent[0]?.body ?? "")).toMatchObject({
      amountLamports: "42",
      acceptRisk: true,
    });
  });

  it("shows one order with its events and the positions in SOL", { timeout: 90_000 }, async () => {
    const one = await runOsprey(["orders", "--id", "order-buy"], env);
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toMatch(/2026-01-01T00:00:01.000Z {2}CONFIRMED/);
    const positions = await runOsprey(["positions"], env);
    expect(positions.stdout).toContain(`${BONKY}  holding 6172 base units`);
    expect(positions.stdout).toContain("P&L realized -0.000000005 SOL, unrealized —");
    const named = await runOsprey(["positions"], {
      ...env,
      OSPREY_MINTS: JSON.stringify({ BONKY }),
    });
    expect(named.stdout).toContain(`BONKY (${BONKY})  holding`);
    const missing = await runOsprey(["orders", "--id", "nope"], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("ROUTE_NOT_FOUND: No route.");
  });
});
