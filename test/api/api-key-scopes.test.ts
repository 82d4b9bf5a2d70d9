import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RouteModule } from "../../src/api/api-types.js";
import { PUBLIC_ACCESS } from "../../src/api/route-access.js";
import { startSandbox } from "../../src/sandbox/server/start-sandbox.js";
import { createBareApi } from "../support/bare-api.js";
import type { HttpResult } from "../support/http-client.js";
import { createHttpClientFrom } from "../support/http-from.js";
import { startTestApp } from "../support/test-app.js";

type Access = "public" | "read" | "trade" | "full" | "login";
type Caller = "anonymous" | "read" | "trade" | "full" | "login";

/** What each route should allow, written here and not read from the server. */
const EXPECTED: Record<string, Access> = {
  "POST /v1/auth/register": "public",
  "POST /v1/auth/login": "public",
  "POST /v1/auth/logout": "login",
  "POST /v1/api-keys": "login",
  "GET /v1/api-keys": "login",
  "DELETE /v1/api-keys/{id}": "login",
  "POST /v1/wallets": "full",
  "POST /v1/wallets/import": "full",
  "GET /v1/wallets": "read",
  "GET /v1/wallets/{id}": "read",
  "PATCH /v1/wallets/{id}": "full",
  "POST /v1/wallets/{id}/export": "login",
  "POST /v1/wallets/{id}/unlock": "trade",
  "POST /v1/wallets/{id}/password": "login",
  "GET /v1/sessions/current": "trade",
  "DELETE /v1/sessions/current": "trade",
  "DELETE /v1/sessions": "full",
  "GET /v1/audit": "read",
  "GET /v1/audit/{id}": "read",
  "GET /v1/tokens/{mint}/safety": "read",
  "GET /v1/quote": "read",
  "POST /v1/orders": "trade",
  "GET /v1/orders": "read",
  "GET /v1/orders/{id}": "read",
  "GET /v1/positions": "read",
  "GET /v1/me": "read",
  "GET /v1/events": "read",
  "GET /v1/settings": "read",
  "PUT /v1/settings": "trade",
  "GET /v1/tokens": "read",
  "GET /v1/tokens/{mint}": "read",
  "GET /v1/tokens/{mint}/candles": "read",
  "GET /v1/meta": "public",
  "POST /v1/wallets/{id}/faucet": "trade",
  "POST /v1/wallets/{id}/withdrawals": "trade",
  "GET /v1/wallets/{id}/withdrawals": "read",
  "GET /v1/withdrawals/{id}": "read",
  "POST /v1/triggers": "trade",
  "GET /v1/triggers": "read",
  "GET /v1/triggers/{id}": "read",
  "DELETE /v1/triggers/{id}": "trade",
  "GET /v1/admin/overview": "read",
  "POST /v1/wallets/{id}/automation": "login",
  "GET /v1/wallets/{id}/automation": "read",
  "DELETE /v1/wallets/{id}/automation": "trade",
  "PUT /v1/webhook": "trade",
  "GET /v1/webhook": "read",
  "DELETE /v1/webhook": "trade",
  "POST /v1/telegram/web-login": "public",
  "GET /v1/telegram": "read",
  "POST /v1/telegram/session": "trade",
  "POST /v1/telegram/link-code": "login",
  "DELETE /v1/telegram": "login",
};

/** Routes for the admin role only: a caller let through is then refused for not being an admin. */
const ADMIN_ONLY = new Set(["GET /v1/admin/overview"]);

const RANK = { read: 0, trade: 1, full: 2 } as const;
// Parameters that exist in no one's data: an allowed call gets past access and then 4xx.
const PARAMS: Record<string, string> = {
  id: "0190a5b0-0000-7000-8000-00000000dead",
  mint: "11111111111111111111111111111111",
};

/** The /v1 operations of the app's own OpenAPI document, as "METHOD /path/{param}". */
async function getOperations(url: string) {
  const spec = (await (await fetch(`${url}/docs/json`)).json()) as {
    paths: Record<string, Record<string, { requestBody?: unknown }>>;
  };
  return Object.entries(spec.paths)
    .filter(([path]) => path.startsWith("/v1/"))
    .flatMap(([path, operations]) =>
      Object.entries(operations).map(([method, operation]) => ({
        name: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path: path.replace(/\{(\w+)\}/g, (_, name: string) => PARAMS[name] ?? "x"),
        hasBody: operation.requestBody !== undefined,
      })),
    );
}

describe("API key scopes on every route", () => {
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let server: Awaited<ReturnType<typeof startTestApp>>;
  let operations: Awaited<ReturnType<typeof getOperations>>;
  const credentials = new Map<Caller, Record<string, string>>();
  let nextAddress = 2;
  // Each caller its own address, so the per-address limits count each alone.
  const client = () => createHttpClientFrom(server.url, `127.0.1.${nextAddress++}`);
  const owner = () => createHttpClientFrom(server.url, "127.0.1.1");

  async function logIn(): Promise<Record<string, string>> {
    const login = await owner().call("POST", "/v1/auth/login", {
      username: "scoped",
      password: "scoped password",
    });
    expect(login.status).toBe(200);
    return { authorization: `Bearer ${String(login.body.token)}` };
  }

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, manualClock: true });
    // Nothing here reaches a swap API; port 9 refuses, so no request could leave the machine.
    server = await startTestApp(
      {},
      { rpcUrls: sandbox.rpcUrls, swapApiUrl: "http://127.0.0.1:9/swap/v1" },
    );
    operations = await getOperations(server.url);
    await owner().call("POST", "/v1/auth/register", {
      username: "scoped",
      password: "scoped password",
    });
    const login = await logIn();
    credentials.set("login", login);
    for (const scope of ["read", "trade", "full"] as const) {
      const created = await owner().call("POST", "/v1/api-keys", { name: scope, scope }, login);
      expect(created.status).toBe(201);
      expect(created.body.scope).toBe(scope);
      credentials.set(scope, { "x-api-key": String(created.body.key) });
    }
    credentials.set("anonymous", {});
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await sandbox?.close();
  });

  it("lists each key's scope", async () => {
    const listed = await owner().call("GET", "/v1/api-keys", undefined, credentials.get("login"));
    expect(listed.body).toEqual([
      expect.objectContaining({ name: "read", scope: "read" }),
      expect.objectContaining({ name: "trade", scope: "trade" }),
      expect.objectContaining({ name: "full", scope: "full" }),
    ]);
  });

  it("covers every route the OpenAPI document lists, and only those", () => {
    expect(operations.map((operation) => operation.name).sort()).toEqual(
      Object.keys(EXPECTED).sort(),
    );
  });

  for (const caller of ["anonymous", "read", "trade", "full", "login"] as const) {
    it(`gives ${caller} exactly the routes it may call`, async () => {
      const http = client();
      const wrong: string[] = [];
      for (const operation of operations) {
        const access = EXPECTED[operation.name];
        if (!access) continue;
        // Logging out a shared token would end it for the calls after: log out a fresh one.
        const headers =
          caller === "login" && operation.name === "POST /v1/auth/logout"
            ? await logIn()
            : (credentials.get(caller) ?? {});
        const answer = await http.call(
          operation.method,
          operation.path,
          operation.hasBody ? {} : undefined,
          headers,
        );
        const problem = judge(caller, access, answer, ADMIN_ONLY.has(operation.name));
        if (problem) wrong.push(`${operation.name}: ${problem}`);
      }
      expect(wrong).toEqual([]);
    });
  }

  it("answers 401 to an anonymous malformed body on every guarded route, before validation", async () => {
    const http = client();
    const guarded = operations.filter(
      (operation) => operation.hasBody && EXPECTED[operation.name] !== "public",
    );
    expect(guarded.length).toBeGreaterThan(5);
    const wrong: string[] = [];
    for (const operation of guarded) {
      for (const raw of ["{not json", '{"password":7,"label":[],"side":"nope"}']) {
        const answer = await http.call(operation.method, operation.path, undefined, {}, raw);
        if (answer.status !== 401 || answer.body.error?.code !== "UNAUTHENTICATED")
          wrong.push(`${operation.name} ${raw}: ${answer.status} ${answer.text}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

/** Why an answer is wrong for this caller on a route of this access, or null when it is right. */
function judge(
  caller: Caller,
  access: Access,
  answer: HttpResult,
  adminOnly = false,
): string | null {
  const code = answer.body.error?.code;
  const seen = `${answer.status} ${code ?? ""}`;
  const refusal = (status: number, expected: string, details?: unknown) => {
    if (answer.status !== status || code !== expected)
      return `expected ${status} ${expected}, got ${seen}`;
    if (details && JSON.stringify(answer.body.error?.details) !== JSON.stringify(details))
      return `expected details ${JSON.stringify(details)}, got ${JSON.stringify(answer.body.error?.details)}`;
    return null;
  };
  const allowed = () =>
    adminOnly
      ? answer.status === 403 && code === "FORBIDDEN"
        ? null
        : `expected 403 FORBIDDEN (the caller is no admin), got ${seen}`
      : answer.status === 403 ||
          ["UNAUTHENTICATED", "INSUFFICIENT_SCOPE", "LOGIN_REQUIRED", "RATE_LIMITED"].includes(
            code ?? "",
          )
        ? `expected to be let through, got ${seen}`
        : null;
  if (access === "public" || caller === "login") return allowed();
  if (caller === "anonymous") return refusal(401, "UNAUTHENTICATED");
  if (access === "login") return refusal(403, "LOGIN_REQUIRED");
  return RANK[caller] >= RANK[access]
    ? allowed()
    : refusal(403, "INSUFFICIENT_SCOPE", { required: access, scope: caller });
}

describe("a /v1 route must declare its access", () => {
  const start = async (route: RouteModule) => {
    const api = await createBareApi({ routes: [route] });
    await api.close();
  };

  it("refuses to start with a route that declares nothing", async () => {
    const path = `/v1/undeclared-${randomUUID()}`;
    await expect(start((app) => app.get(path, async () => ({ ok: true })))).rejects.toThrow(
      /declares no access/,
    );
    await expect(
      start((app) => app.get(path, { onRequest: PUBLIC_ACCESS }, async () => ({ ok: true }))),
    ).resolves.toBeUndefined();
  });
});
