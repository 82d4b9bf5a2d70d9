import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpClient } from "../support/http-client.js";
import { startTestApp } from "../support/test-app.js";

describe("account routes over HTTP", () => {
  let server: Awaited<ReturnType<typeof startTestApp>>;
  const call = (...args: Parameters<ReturnType<typeof createHttpClient>["call"]>) =>
    createHttpClient(server.url).call(...args);
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    server = await startTestApp();
  });
  afterAll(() => server.close());

  it("registers, logs in, and uses the bearer token", async () => {
    const registered = await call("POST", "/v1/auth/register", {
      username: "Alice",
      password: "correct horse",
    });
    expect(registered.status).toBe(201);
    expect(registered.body.userId).toMatch(/^[0-9a-f-]{36}$/);

    const login = await call("POST", "/v1/auth/login", {
      username: "alice",
      password: "correct horse",
    });
    expect(login.status).toBe(200);
    expect(String(login.body.token)).toMatch(/^osa_/);
    expect(Date.parse(String(login.body.expiresAt))).toBeGreaterThan(Date.now());

    const keys = await call("GET", "/v1/api-keys", undefined, bearer(String(login.body.token)));
    expect(keys.status).toBe(200);
    expect(keys.body).toEqual([]);

    const logout = await call(
      "POST",
      "/v1/auth/logout",
      undefined,
      bearer(String(login.body.token)),
    );
    expect(logout.status).toBe(204);
    const after = await call("GET", "/v1/api-keys", undefined, bearer(String(login.body.token)));
    expect(after.status).toBe(401);
    expect(after.body.error?.code).toBe("UNAUTHENTICATED");
  });

  it("refuses a taken username with 409 and bad input with 400", async () => {
    await call("POST", "/v1/auth/register", { username: "bob", password: "password-1" });
    expect(
      (await call("POST", "/v1/auth/register", { username: "BOB", password: "password-2" })).status,
    ).toBe(409);
    for (const body of [
      { username: "ab", password: "long enough" },
      { username: "bad name", password: "long enough" },
      { username: "carol", password: "short" },
      { username: "carol" },
      { username: 7, password: "long enough" },
    ]) {
      const response = await call("POST", "/v1/auth/register", body);
      expect(response.status).toBe(400);
      expect(response.body.error?.code).toBe("INVALID_INPUT");
    }
  });

  it("answers a wrong password and an unknown user alike", async () => {
    await call("POST", "/v1/auth/register", { username: "dave", password: "right password" });
    const wrong = await call("POST", "/v1/auth/login", {
      username: "dave",
      password: "wrong password",
    });
    const unknown = await call("POST", "/v1/auth/login", {
      username: "nobody",
      password: "wrong password",
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
  });

  it("creates an API key shown once, authenticates with it, and revokes it", async () => {
    await call("POST", "/v1/auth/register", { username: "erin", password: "erin password" });
    const { body: login } = await call("POST", "/v1/auth/login", {
      username: "erin",
      password: "erin password",
    });
    const created = await call(
      "POST",
      "/v1/api-keys",
      { name: "bot" },
      bearer(String(login.token)),
    );
    expect(created.status).toBe(201);
    // Asked for without a scope, a key can only read.
    expect(created.body.scope).toBe("read");
    const key = String(created.body.key);
    expect(key).toMatch(/^osk_/);

    const read = await call("GET", "/v1/audit", undefined, { "x-api-key": key });
    expect(read.status).toBe(200);
    expect(JSON.stringify(read.body)).not.toContain(key);
    expect((await call("GET", "/v1/audit", undefined, bearer(key))).status).toBe(200);
    // A script's key can neither see nor mint keys.
    for (const [method, body] of [
      ["GET", undefined],
      ["POST", { name: "x" }],
    ] as const) {
      const refused = await call(method, "/v1/api-keys", body, bearer(key));
      expect(refused.status).toBe(403);
      expect(refused.body.error?.code).toBe("LOGIN_REQUIRED");
    }
    const listed = await call("GET", "/v1/api-keys", undefined, bearer(String(login.token)));
    expect(listed.body).toEqual([
      expect.objectContaining({ id: created.body.id, name: "bot", scope: "read", revokedAt: null }),
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(key);

    const revoked = await call(
      "DELETE",
      `/v1/api-keys/${created.body.id}`,
      undefined,
      bearer(String(login.token)),
    );
    expect(revoked.status).toBe(204);
    expect((await call("GET", "/v1/audit", undefined, bearer(key))).status).toBe(401);
    expect(
      (
        await call(
          "DELETE",
          `/v1/api-keys/${created.body.id}`,
          undefined,
          bearer(String(login.token)),
        )
      ).status,
    ).toBe(404);
  });

  it("refuses malformed authorization headers with 401", async () => {
    for (const authorization of ["Basic abc", "Bearer", "Bearer a b", "osa_123"]) {
      const response = await call("GET", "/v1/api-keys", undefined, { authorization });
      expect(response.status).toBe(401);
    }
    expect((await call("GET", "/v1/api-keys")).status).toBe(401);
  });

  it("refuses an address that keeps failing for a username with 429 and Retry-After", async () => {
    let last = await call("POST", "/v1/auth/login", { username: "target", password: "guess-000" });
    for (let i = 1; i < 10 && last.status !== 429; i++) {
      last = await call("POST", "/v1/auth/login", { username: "target", password: `guess-${i}` });
    }
    expect(last.status).toBe(429);
    expect(last.body.error?.code).toBe("RATE_LIMITED");
    expect(Number(last.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("never logs passwords or tokens", () => {
    const logs = server.logs.text();
    expect(logs).toMatch(/"msg":"POST \/v1\/auth\/login \d{3} [\d.]+ ms"/);
    for (const secret of ["correct horse", "erin password", "osa_", "osk_"])
      expect(logs).not.toContain(secret);
  });
});

describe("authentication with the database gone", () => {
  it("answers 503 DATABASE_UNAVAILABLE, not 500", async () => {
    const server = await startTestApp();
    const http = createHttpClient(server.url);
    const auth = await http.signUp("lonely");
    await server.app.store.database.close();
    const response = await http.call("GET", "/v1/api-keys", undefined, auth);
    expect(response.status).toBe(503);
    expect(response.body.error?.code).toBe("DATABASE_UNAVAILABLE");
    await server.close();
  });
});
