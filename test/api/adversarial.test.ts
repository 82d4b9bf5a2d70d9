/**
 * Bad input on every route of the app's own OpenAPI document, and one user against another, on a
 * real app with a chain. Routes come from `/docs/json`, so a new route is attacked without being
 * listed here. What must hold: no answer at or above 500, every error in the contract's shape, and
 * another user's wallets, orders, audit entries and keys answer as if they did not exist.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpClient } from "../support/http-client.js";
import { type BotApiEmulator, startBotApiEmulator } from "../telegram/support/bot-api-emulator.js";
import { BOT_TOKEN } from "../telegram/support/telegram-setup.js";
import {
  createTrader,
  startTradingSandbox,
  type TestServer,
  type Trader,
  type TradingSandbox,
} from "../trading/trading-setup.js";

interface JsonSchema {
  readonly type?: string | string[];
  readonly enum?: readonly unknown[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
}

interface Operation {
  readonly method: string;
  /** The spec's path, with `{name}` placeholders. */
  readonly path: string;
  readonly pathParams: readonly string[];
  readonly queryParams: readonly { name: string; schema: JsonSchema; required: boolean }[];
  readonly body: JsonSchema | undefined;
}

interface Attempt {
  readonly method: string;
  readonly url: string;
  readonly headers?: Record<string, string>;
  /** Sent as is: malformed JSON is the point. */
  readonly body?: string;
  readonly label: string;
}

const HUGE = "x".repeat(20_000);
const BAD_PATH_VALUES = [
  "x",
  "0",
  "-1",
  "1.5",
  "0x10",
  "1e3",
  "%201%20",
  "%00",
  "%E0%A4%A",
  "%",
  "%zz",
  "..%2F..%2Fetc%2Fpasswd",
  "'%20OR%201=1--",
  encodeURIComponent("💥"),
  "a".repeat(10_000),
  "9".repeat(30),
  "00000000-0000-0000-0000-000000000000",
  "01900000-0000-7000-8000-000000000000",
  "null",
  "[object Object]",
];
const STRANGE_QUERY_VALUES = [
  "",
  "%201%20",
  "0x10",
  "%2B1",
  "1e2",
  "1.0",
  "-1",
  "%00",
  "%E0%A4%A",
  "q".repeat(5_000),
  "true",
  "%5B%5D",
];
const BAD_VALUES: readonly unknown[] = [
  null,
  5,
  -1,
  1.5,
  true,
  [],
  {},
  "",
  HUGE,
  "\u0000",
  "💥".repeat(100),
  "' OR 1=1 --",
];
const BAD_AMOUNTS: readonly unknown[] = [
  "-1",
  "1.5",
  "0x10",
  "1e9",
  "+1",
  " 1 ",
  "9".repeat(40),
  -0.5,
  1e308,
  "NaN",
  "Infinity",
];
const RAW_BODIES: readonly [string, string | undefined][] = [
  ["{not json", "application/json"],
  ["", "application/json"],
  ["null", "application/json"],
  ["[]", "application/json"],
  ["5", "application/json"],
  ['"a string"', "application/json"],
  ['{"__proto__":{"admin":true}}', "application/json"],
  ['{"constructor":{"prototype":{"admin":true}}}', "application/json"],
  [`${"[".repeat(20_000)}${"]".repeat(20_000)}`, "application/json"],
  [JSON.stringify({ padding: "p".repeat(70_000) }), "application/json"],
  ["password=x", "application/x-www-form-urlencoded"],
  ["just text", "text/plain"],
  ['{"a":1}', "application/json; charset=utf-16"],
  ['{"a":1}', undefined],
];
const BAD_AUTH: readonly Record<string, string>[] = [
  {},
  { authorization: "Bearer" },
  { authorization: `Bearer ${"a".repeat(600)}` },
  { authorization: `Bearer osa_${randomBytes(24).toString("base64url")}` },
  { authorization: "Basic Zm9vOmJhcg==" },
  { authorization: "Bearer two tokens" },
  { "x-api-key": `osk_${randomBytes(24).toString("base64url")}` },
  { "x-api-key": "k".repeat(2_000) },
];
// POST /v1/orders takes a free-form body (its own validation says what is wrong): attack it by hand.
const BAD_ORDERS = (mint: string): readonly unknown[] => [
  { side: "buy", mint, amountLamports: "-1" },
  { side: "buy", mint, amountLamports: -1 },
  { side: "buy", mint, amountLamports: "1.5" },
  { side: "buy", mint, amountLamports: 1.5 },
  { side: "buy", mint, amountLamports: "0" },
  { side: "buy", mint, amountLamports: "0x10" },
  { side: "buy", mint, amountLamports: "1e9" },
  { side: "buy", mint, amountLamports: "9".repeat(40) },
  { side: "buy", mint, amountLamports: "1000000", slippageBps: -1 },
  { side: "buy", mint, amountLamports: "1000000", slippageBps: 1.5 },
  { side: "buy", mint, amountLamports: "1000000", slippageBps: "0x10" },
  { side: "buy", mint, amountLamports: "1000000", slippageBps: 1_000_000 },
  { side: "buy", mint, amountLamports: "1000000", acceptRisk: "yes" },
  { side: "buy", mint: "x", amountLamports: "1000000" },
  { side: "buy", mint: HUGE, amountLamports: "1000000" },
  { side: "buy", mint: "So11111111111111111111111111111111111111112", amountLamports: "1000" },
  { side: "sell", mint, percent: -1 },
  { side: "sell", mint, percent: 101 },
  { side: "sell", mint, percent: 0.5 },
  { side: "sell", mint, percent: "50" },
  { side: "sell", mint, amount: "-5" },
  { side: "sell", mint, amount: "1.5" },
  { side: "sell", mint, amount: "5", percent: 50 },
  { side: "hold", mint, amountLamports: "1000000" },
  { side: "buy", mint, amountLamports: "1000000", extra: HUGE },
  {},
];

/** The contract's error shape: {"error":{"code","message","details"?}} and nothing else. */
function getShapeProblem(status: number, contentType: string | null, text: string): string | null {
  if (status >= 500) return `status ${status}`;
  if (status < 400) return null;
  if (!contentType?.includes("application/json")) return `content-type ${contentType}`;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return "a body that is not JSON";
  }
  const error = (body as { error?: Record<string, unknown> }).error;
  if (Object.keys(body as object).join() !== "error" || typeof error !== "object" || !error)
    return "no error object";
  const extra = Object.keys(error).filter((key) => !["code", "message", "details"].includes(key));
  if (extra.length > 0) return `extra keys ${extra.join()}`;
  if (typeof error.code !== "string" || !/^[A-Z][A-Z0-9_]*$/.test(error.code)) return "no code";
  if (typeof error.message !== "string" || error.message.length === 0) return "no message";
  return null;
}

function readOperations(spec: { paths: Record<string, Record<string, unknown>> }): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(spec.paths)) {
    for (const [method, raw] of Object.entries(methods)) {
      const operation = raw as {
        parameters?: { in: string; name: string; schema: JsonSchema; required?: boolean }[];
        requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
      };
      const parameters = operation.parameters ?? [];
      operations.push({
        method: method.toUpperCase(),
        path,
        pathParams: parameters.filter((p) => p.in === "path").map((p) => p.name),
        queryParams: parameters
          .filter((p) => p.in === "query")
          .map((p) => ({ name: p.name, schema: p.schema, required: p.required === true })),
        body: operation.requestBody?.content?.["application/json"]?.schema,
      });
    }
  }
  return operations;
}

const typeOf = (schema: JsonSchema) => (Array.isArray(schema.type) ? schema.type[0] : schema.type);

/** A value the schema would take, so that one bad field at a time is what gets tested. */
function plausible(name: string, schema: JsonSchema): unknown {
  if (/password/i.test(name)) return "a fine password 1";
  if (name === "username") return `fuzz${randomBytes(3).toString("hex")}`;
  if (schema.enum?.length) return schema.enum[0];
  switch (typeOf(schema)) {
    case "boolean":
      return true;
    case "number":
    case "integer":
      return 1;
    case "array":
      return [];
    case "object":
      return {};
    default:
      return "plain-value";
  }
}

function plausibleQuery(name: string, schema: JsonSchema, mint: string): string {
  if (name === "mint") return mint;
  if (name === "amount") return "1000000";
  if (schema.enum?.length) return String(schema.enum[0]);
  return "1";
}

/** Every bad request for one operation, bounded: about a hundred at most. */
function getAttempts(
  operation: Operation,
  ownIds: Record<string, string>,
  mint: string,
): Attempt[] {
  const fill = (path: string, values: Record<string, string> = {}) =>
    path.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? ownIds[name] ?? randomUUID());
  const baseQuery = operation.queryParams
    .filter((param) => param.required)
    .map((param) => `${param.name}=${plausibleQuery(param.name, param.schema, mint)}`);
  const withQuery = (path: string, query: string[]) =>
    query.length > 0 ? `${path}?${query.join("&")}` : path;
  const url = withQuery(fill(operation.path), baseQuery);
  const { method } = operation;
  const name = `${method} ${operation.path}`;
  const properties = Object.entries(operation.body?.properties ?? {});
  const baseline = Object.fromEntries(
    properties.map(([key, schema]) => [key, plausible(key, schema)]),
  );
  // Attacks on the URL and headers carry a body that parses, so they reach past validation.
  const isOrder = method === "POST" && operation.path === "/v1/orders";
  const baselineBody = isOrder
    ? JSON.stringify({ side: "buy", mint, amountLamports: "1000" })
    : JSON.stringify(baseline);
  const withBody = (attempt: Attempt): Attempt =>
    !operation.body || attempt.body !== undefined
      ? attempt
      : {
          ...attempt,
          body: baselineBody,
          headers: { "content-type": "application/json", ...attempt.headers },
        };
  const attempts: Attempt[] = [];
  const add = (attempt: Attempt) => attempts.push(withBody(attempt));

  for (const [i, headers] of BAD_AUTH.entries())
    add({ method, url, headers: { ...headers, "x-no-auth": "1" }, label: `${name} auth#${i}` });
  for (const headers of [
    { "x-trading-session": "s".repeat(300) },
    { "x-trading-session": "garbage" },
    { "idempotency-key": "bad key with spaces" },
    { "idempotency-key": "k".repeat(200) },
  ])
    add({ method, url, headers, label: `${name} header ${Object.keys(headers)[0]}` });

  for (const param of operation.pathParams)
    for (const value of BAD_PATH_VALUES)
      add({
        method,
        url: withQuery(fill(operation.path, { [param]: value }), baseQuery),
        label: `${name} ${param}=${value.slice(0, 20)}`,
      });

  add({
    method,
    url: withQuery(fill(operation.path), [...baseQuery, "unknown=%00"]),
    label: `${name} NUL query`,
  });
  add({
    method,
    url: withQuery(fill(operation.path), [...baseQuery, `other=${"o".repeat(3_000)}`]),
    label: `${name} unknown query`,
  });
  for (const param of operation.queryParams) {
    const others = baseQuery.filter((pair) => !pair.startsWith(`${param.name}=`));
    for (const value of STRANGE_QUERY_VALUES)
      add({
        method,
        url: withQuery(fill(operation.path), [...others, `${param.name}=${value}`]),
        label: `${name} ${param.name}=${value.slice(0, 20)}`,
      });
    add({
      method,
      url: withQuery(fill(operation.path), [...others, `${param.name}=1`, `${param.name}=2`]),
      label: `${name} ${param.name} twice`,
    });
  }

  if (method !== "GET")
    for (const [body, contentType] of RAW_BODIES)
      add({
        method,
        url,
        headers: contentType ? { "content-type": contentType } : {},
        body,
        label: `${name} body ${body.slice(0, 20)} (${contentType})`,
      });
  for (const [key] of properties) {
    const bad = /amount|lamports|percent|slippage|bps/i.test(key)
      ? [...BAD_VALUES, ...BAD_AMOUNTS]
      : BAD_VALUES;
    for (const value of bad)
      add({
        method,
        url,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ...baseline, [key]: value }),
        label: `${name} ${key}=${JSON.stringify(value).slice(0, 20)}`,
      });
  }
  if (isOrder)
    for (const order of BAD_ORDERS(mint))
      add({
        method,
        url,
        headers: { "content-type": "application/json" },
        body: JSON.stringify(order),
        label: `${name} ${JSON.stringify(order).slice(0, 60)}`,
      });
  // A method the path does not have.
  add({
    method: "PUT",
    url,
    body: "{}",
    headers: { "content-type": "application/json" },
    label: `PUT ${operation.path}`,
  });
  return attempts;
}

const VARIANTS = [
  { name: "sqlite + memory", database: "sqlite" as const, redis: undefined },
  ...(process.env.TEST_POSTGRES_URL && process.env.TEST_REDIS_URL
    ? [
        {
          name: "postgres + redis",
          database: "postgres" as const,
          redis: process.env.TEST_REDIS_URL,
        },
      ]
    : []),
];

describe.each(VARIANTS)("adversarial requests on every route [$name]", ({ database, redis }) => {
  const env = {} as { sandbox: TradingSandbox; server: TestServer; mint: string };
  const redisPrefix = `osprey-adversarial-${randomBytes(6).toString("hex")}:`;
  let forwarded = 0;
  // Each request claims its own address (the app trusts this machine as its proxy), so per-IP
  // limits do not turn the whole run into 429s; per-user limits still count.
  const nextAddress = () => {
    forwarded += 1;
    return `10.${(forwarded >> 16) & 255}.${(forwarded >> 8) & 255}.${forwarded & 255}`;
  };

  let botApi: BotApiEmulator | undefined;

  beforeAll(async () => {
    env.sandbox = await startTradingSandbox(database);
    // The bot on, so the Telegram routes are reached for real (without it they answer 501).
    botApi = await startBotApiEmulator({ token: BOT_TOKEN });
    env.server = await env.sandbox.startApp(
      {},
      {
        TELEGRAM_BOT_TOKEN: BOT_TOKEN,
        TELEGRAM_API_ROOT: botApi.apiRoot,
        TRUST_PROXY: "127.0.0.1",
        ...(redis ? { REDIS_URL: redis, REDIS_PREFIX: redisPrefix } : {}),
      },
    );
    env.mint = env.sandbox.stack.ready.mints.BONKY ?? "";
  }, 120_000);
  afterAll(async () => {
    await env.server?.close();
    await env.sandbox?.close();
    if (redis) {
      const client = new Redis(redis);
      const keys = await client.keys(`${redisPrefix}*`);
      if (keys.length > 0) await client.del(...keys);
      client.disconnect();
    }
    await botApi?.close();
  });

  async function send(attempt: Attempt, auth: Record<string, string>) {
    const { "x-no-auth": noAuth, ...headers } = attempt.headers ?? {};
    const { body } = attempt;
    const response = await fetch(`${env.server.url}${attempt.url}`, {
      method: attempt.method,
      headers: {
        ...(noAuth ? {} : auth),
        "x-forwarded-for": nextAddress(),
        ...headers,
      },
      // Bytes, so that fetch adds no content-type of its own when the attempt sends none.
      ...(body === undefined ? {} : { body: new TextEncoder().encode(body) }),
    });
    const type = response.headers.get("content-type");
    // An event stream that opened never ends by itself: that it opened is the answer.
    if (type?.startsWith("text/event-stream")) {
      await response.body?.cancel();
      return { status: response.status, type, text: "" };
    }
    return { status: response.status, type, text: await response.text() };
  }

  it("answers bad input on every route of /docs/json without a 5xx, every error in the shape", {
    timeout: 240_000,
  }, async () => {
    const http = createHttpClient(env.server.url);
    const spec = (await http.call("GET", "/docs/json")).body as unknown as {
      paths: Record<string, Record<string, unknown>>;
    };
    // Revocations last, so the attackers' trading sessions last until the routes that need them.
    const operations = readOperations(spec).sort(
      (x, y) => Number(x.method === "DELETE") - Number(y.method === "DELETE"),
    );
    // The document is the list: if it shrank to nothing, this test would prove nothing.
    expect(operations.length).toBeGreaterThanOrEqual(25);
    expect(operations.map((op) => `${op.method} ${op.path}`)).toEqual(
      expect.arrayContaining(["POST /v1/orders", "GET /v1/quote", "POST /v1/wallets/import"]),
    );

    // A few attackers, each with a wallet and a trading session, taking turns.
    const attackers: Trader[] = [];
    for (let i = 0; i < 4; i++)
      attackers.push(await createTrader(env.sandbox, env.server.url, `fuzzer-${i}`));
    const failures: string[] = [];
    const counts = { requests: 0, byStatus: new Map<number, number>() };
    for (const [index, operation] of operations.entries()) {
      const attacker = attackers[index % attackers.length] as Trader;
      // A fresh login per route: logout or a revocation among the attempts ends only that one.
      const login = await http.call(
        "POST",
        "/v1/auth/login",
        {
          username: `fuzzer-${index % attackers.length}`,
          password: `fuzzer-${index % attackers.length} password`,
        },
        { "x-forwarded-for": nextAddress() },
      );
      expect(login.status, login.text).toBe(200);
      const auth = {
        authorization: `Bearer ${String(login.body.token)}`,
        "x-trading-session": attacker.headers["x-trading-session"] ?? "",
        "idempotency-key": randomUUID(),
      };
      const ownIds = {
        id: operation.path.startsWith("/v1/wallets") ? attacker.walletId : randomUUID(),
        mint: env.mint,
      };
      for (const attempt of getAttempts(operation, ownIds, env.mint)) {
        const answer = await send(attempt, { ...auth, "idempotency-key": randomUUID() });
        counts.requests += 1;
        counts.byStatus.set(answer.status, (counts.byStatus.get(answer.status) ?? 0) + 1);
        const problem = getShapeProblem(answer.status, answer.type, answer.text);
        if (problem) failures.push(`${attempt.label}: ${problem}: ${answer.text.slice(0, 160)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(counts.requests).toBeLessThan(6_000);
    expect(counts.byStatus.get(400) ?? 0).toBeGreaterThan(counts.requests / 3);
    // The server is still well after all that.
    expect((await http.call("GET", "/readyz")).status).toBe(200);
  });

  it("parses every integer query parameter strictly: 0x10, ' 1 ', +1, 1e2 and 1.0 are 400", async () => {
    const trader = await createTrader(env.sandbox, env.server.url, "strict-query");
    for (const value of ["0x10", "%201%20", "%2B1", "1e2", "1.0", "015", "16.", ".5"]) {
      const quote = await trader.get(
        `/v1/quote?side=buy&mint=${env.mint}&amount=1000000&slippageBps=${value}`,
      );
      expect(quote.status, `slippageBps=${value}`).toBe(400);
      expect(quote.body.error?.code).toBe("INVALID_INPUT");
      const orders = await trader.get(`/v1/orders?limit=${value}`);
      expect(orders.status, `limit=${value}`).toBe(400);
      expect(orders.body.error?.code).toBe("INVALID_INPUT");
    }
    expect(
      (await trader.get(`/v1/quote?side=buy&mint=${env.mint}&amount=1000000&slippageBps=16`))
        .status,
    ).toBe(200);
    expect((await trader.get("/v1/orders?limit=16")).status).toBe(200);
  });

  it("answers user B's every access to user A's wallets, orders, sessions, audit and keys as missing", {
    timeout: 120_000,
  }, async () => {
    const http = createHttpClient(env.server.url);
    const a = await createTrader(env.sandbox, env.server.url, "victim-a");
    const b = await createTrader(env.sandbox, env.server.url, "attacker-b");
    const placed = await a.order(
      { side: "buy", mint: env.mint, amountLamports: "10000000" },
      "a-buy-1",
    );
    expect(placed.status, placed.text).toBe(202);
    const orderId = String((await a.settle(String(placed.body.id))).id);
    const aKey = await http.call(
      "POST",
      "/v1/api-keys",
      { name: "a key" },
      { authorization: a.headers.authorization ?? "" },
    );
    expect(aKey.status, aKey.text).toBe(201);
    const aAudit = (await a.get("/v1/audit")).body as unknown as { id: number }[];
    const auditId = aAudit[0]?.id;
    expect(auditId).toBeDefined();
    const bKey = await http.call(
      "POST",
      "/v1/api-keys",
      { name: "b key" },
      { authorization: b.headers.authorization ?? "" },
    );
    expect(bKey.status, bKey.text).toBe(201);

    const bLogin = { authorization: b.headers.authorization ?? "" };
    const bApiKey = { "x-api-key": String(bKey.body.key) };
    const missingWallet = randomUUID();
    const wallet = `/v1/wallets/${a.walletId}`;
    const password = { password: "wallet password" };
    // Each access to A's thing, beside the same access to a thing that does not exist.
    const pairs: [string, string, string, unknown][] = [
      ["GET", wallet, `/v1/wallets/${missingWallet}`, undefined],
      ["PATCH", wallet, `/v1/wallets/${missingWallet}`, { label: "mine now" }],
      ["POST", `${wallet}/unlock`, `/v1/wallets/${missingWallet}/unlock`, password],
      ["POST", `${wallet}/export`, `/v1/wallets/${missingWallet}/export`, password],
      [
        "POST",
        `${wallet}/password`,
        `/v1/wallets/${missingWallet}/password`,
        { ...password, newPassword: "taken over by b" },
      ],
      ["GET", `/v1/orders/${orderId}`, `/v1/orders/${randomUUID()}`, undefined],
      ["GET", `/v1/audit/${auditId}`, "/v1/audit/999999999", undefined],
      ["DELETE", `/v1/api-keys/${String(aKey.body.id)}`, `/v1/api-keys/${randomUUID()}`, undefined],
    ];
    for (const auth of [bLogin, bApiKey]) {
      for (const [method, theirs, missing, body] of pairs) {
        const attack = await http.call(method, theirs, body, {
          ...auth,
          "x-forwarded-for": nextAddress(),
        });
        const control = await http.call(method, missing, body, {
          ...auth,
          "x-forwarded-for": nextAddress(),
        });
        const label = `${method} ${theirs} with ${Object.keys(auth)[0]}`;
        // An API key may be refused outright on export or password change; never with a 200.
        if (auth === bApiKey && attack.status === 403) {
          expect(attack.body, label).toEqual(control.body);
          continue;
        }
        expect(attack.status, `${label}: ${attack.text}`).toBe(404);
        expect(attack.body, label).toEqual(control.body);
      }
    }

    // A's trading session, presented by B, is no session at all.
    const aSession = { "x-trading-session": a.headers["x-trading-session"] ?? "" };
    const garbageSession = { "x-trading-session": `x${randomBytes(20).toString("hex")}` };
    for (const [method, path, body, extra] of [
      ["GET", "/v1/sessions/current", undefined, {}],
      ["DELETE", "/v1/sessions/current", undefined, {}],
      [
        "POST",
        "/v1/orders",
        { side: "buy", mint: env.mint, amountLamports: "10000000" },
        { "idempotency-key": "b-uses-a" },
      ],
    ] as const) {
      const attack = await http.call(method, path, body, { ...bLogin, ...aSession, ...extra });
      const control = await http.call(method, path, body, {
        ...bLogin,
        ...garbageSession,
        ...extra,
        "idempotency-key": "b-control",
      });
      expect([200, 202, 204, 403]).not.toContain(attack.status);
      expect(attack.body, `${method} ${path}`).toEqual(control.body);
    }

    // B's lists hold nothing of A's.
    for (const path of ["/v1/wallets", "/v1/orders", "/v1/audit", "/v1/api-keys"]) {
      const listed = await http.call("GET", path, undefined, bLogin);
      expect(listed.status).toBe(200);
      for (const secret of [a.walletId, orderId, String(aKey.body.id), a.publicKey])
        expect(listed.text, path).not.toContain(secret);
    }

    // And A's things are as they were.
    expect((await a.get("/v1/sessions/current")).status).toBe(200);
    expect((await a.get(wallet)).body.label).toBe("wallet");
    const keys = (await a.get("/v1/api-keys")).body as unknown as {
      id: string;
      revokedAt: string | null;
    }[];
    expect(keys.find((key) => key.id === aKey.body.id)?.revokedAt).toBeNull();
    const aOrders = (await a.get("/v1/orders")).body as unknown as { orders: { id: string }[] };
    expect(aOrders.orders.map((order) => order.id)).toEqual([orderId]);
    const unlock = await http.call("POST", `${wallet}/unlock`, password, {
      authorization: a.headers.authorization ?? "",
    });
    expect(unlock.status).toBe(200);
  });
});
