import type { InjectOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { ZodApp } from "../../src/api/api-types.js";
import { queryInteger } from "../../src/api/query-integer.js";
import { createLogger } from "../../src/core/logger.js";
import { OspreyError } from "../../src/core/osprey-error.js";
import type { KvStore } from "../../src/kv/kv-store.js";
import { type BareApi, createBareApi } from "../support/bare-api.js";
import { createLogCapture, startTestApp } from "../support/test-app.js";

describe("API on the embedded defaults", () => {
  let server: Awaited<ReturnType<typeof startTestApp>>;
  beforeAll(async () => {
    server = await startTestApp();
  });
  afterAll(() => server.close());

  it("answers /healthz and /readyz with 200", async () => {
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", checks: { database: "ok", kv: "ok" } });
  });

  it("serves the OpenAPI page at /docs and the spec at /docs/json", async () => {
    const page = await fetch(`${server.url}/docs`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("swagger");
    const spec = (await (await fetch(`${server.url}/docs/json`)).json()) as {
      openapi: string;
      paths: object;
    };
    expect(spec.openapi).toBe("3.1.0");
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(["/healthz", "/readyz"]));
  });

  it("gives an unknown route a 404 with a code", async () => {
    const response = await fetch(`${server.url}/v1/nothing-here?x=1`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { code: "ROUTE_NOT_FOUND", message: "No route GET /v1/nothing-here." },
    });
  });

  it("gives a malformed JSON body a 400 with a code", async () => {
    const response = await fetch(`${server.url}/readyz`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{not json",
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    const body = (await response.json()) as { error: { code: string } };
    expect(["MALFORMED_JSON", "ROUTE_NOT_FOUND"]).toContain(body.error.code);
  });

  it("echoes a safe request id and replaces an unsafe one", async () => {
    const mine = await fetch(`${server.url}/healthz`, { headers: { "x-request-id": "trace-123" } });
    expect(mine.headers.get("x-request-id")).toBe("trace-123");
    const unsafe = await fetch(`${server.url}/healthz`, {
      headers: { "x-request-id": "bad id\twith tab" },
    });
    expect(unsafe.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("serves Prometheus text at /metrics", async () => {
    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("process_cpu_user_seconds_total");
  });
});

describe("API error table", () => {
  let api: BareApi;
  let app: ZodApp;
  let kv: KvStore;
  const logs = createLogCapture();

  const echoRoutes = (routes: ZodApp) => {
    routes.post(
      "/echo/:id",
      {
        schema: {
          params: z.object({ id: z.string().regex(/^\d+$/) }),
          querystring: z.object({ n: queryInteger(1, 1000).optional() }),
          body: z.object({ name: z.string().min(1), password: z.string() }),
        },
      },
      async (request) => ({ id: request.params.id, name: request.body.name }),
    );
    routes.get("/conflict", async () => {
      throw new OspreyError("CONFLICT", "Already there.", { field: "name" });
    });
    routes.get("/bug", async () => {
      throw new Error("secret internal detail");
    });
    routes.get("/outage", async () => {
      throw new OspreyError("DATABASE_UNAVAILABLE", "pg at 10.0.0.5 refused", { host: "10.0.0.5" });
    });
  };

  beforeAll(async () => {
    api = await createBareApi({
      routes: [echoRoutes],
      logger: createLogger({ level: "info", destination: logs.destination }),
    });
    ({ app, kv } = api);
  });
  afterAll(() => api.close());

  const inject = (options: InjectOptions) => app.inject(options);

  it("accepts a valid request", async () => {
    const response = await inject({
      method: "POST",
      url: "/echo/7",
      payload: { name: "a", password: "hunter2" },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ id: "7", name: "a" });
  });

  it.each<[string, { url: string; payload?: object }]>([
    ["a bad path parameter", { url: "/echo/x", payload: { name: "a", password: "p" } }],
    ["a bad query parameter", { url: "/echo/1?n=0", payload: { name: "a", password: "p" } }],
    ["a missing body field", { url: "/echo/1", payload: { password: "p" } }],
    ["a wrong body type", { url: "/echo/1", payload: { name: 5, password: "p" } }],
    ["no body", { url: "/echo/1" }],
    ...["0x10", "%201%20", "%2B1", "1e2", "1.0", "015", "-1", "", "1001", "9007199254740993"].map(
      (n) =>
        [
          `the query integer ${n}`,
          { url: `/echo/1?n=${n}`, payload: { name: "a", password: "p" } },
        ] as [string, { url: string; payload: object }],
    ),
  ])("refuses %s with 400 INVALID_INPUT and details", async (_, request) => {
    const response = await inject({ method: "POST", ...request });
    expect(response.statusCode).toBe(400);
    const body = response.json() as { error: { code: string; message: string } };
    expect(body.error.code).toBe("INVALID_INPUT");
    expect(body.error.message.length).toBeGreaterThan(10);
  });

  it.each([
    ["the body", { url: "/echo/1", payload: { name: "a\u0000b", password: "p" } }],
    ["a body key", { url: "/echo/1", payload: { name: "a", password: "p", "k\u0000": 1 } }],
    ["a path parameter", { url: "/echo/1%00", payload: { name: "a", password: "p" } }],
    ["the query", { url: "/echo/1?x=%00", payload: { name: "a", password: "p" } }],
  ])("refuses a NUL character in %s (PostgreSQL cannot store one)", async (_, request) => {
    const response = await inject({ method: "POST", ...request });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({
      code: "INVALID_INPUT",
      message: expect.stringContaining("NUL character"),
    });
  });

  it("looks through a deeply nested body without exhausting the stack", async () => {
    const response = await inject({
      method: "POST",
      url: "/echo/1",
      headers: { "content-type": "application/json" },
      payload: `${"[".repeat(30_000)}${"]".repeat(30_000)}`,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe("INVALID_INPUT");
  });

  it("reads a plain query integer", async () => {
    const response = await inject({
      method: "POST",
      url: "/echo/1?n=1000",
      payload: { name: "a", password: "p" },
    });
    expect(response.statusCode).toBe(200);
  });

  it("refuses malformed JSON with 400 MALFORMED_JSON", async () => {
    const response = await inject({
      method: "POST",
      url: "/echo/1",
      headers: { "content-type": "application/json" },
      payload: '{"name": "a",',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe("MALFORMED_JSON");
  });

  it("refuses a body that is not JSON with 415 and an oversized one with 413", async () => {
    const text = await inject({
      method: "POST",
      url: "/echo/1",
      headers: { "content-type": "text/plain" },
      payload: "x",
    });
    expect(text.statusCode).toBe(415);
    expect(text.json().error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    const huge = await inject({
      method: "POST",
      url: "/echo/1",
      payload: { name: "x".repeat(100_000), password: "p" },
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("maps an OspreyError through the table with its context", async () => {
    const response = await inject({ method: "GET", url: "/conflict" });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toEqual({
      error: { code: "CONFLICT", message: "Already there.", details: { field: "name" } },
    });
  });

  it("hides internals of a bug (500) and of an outage (503)", async () => {
    const bug = await inject({ method: "GET", url: "/bug" });
    expect(bug.statusCode).toBe(500);
    expect(bug.json()).toEqual({ error: { code: "INTERNAL", message: "Internal error." } });
    const outage = await inject({ method: "GET", url: "/outage" });
    expect(outage.statusCode).toBe(503);
    expect(JSON.stringify(outage.json())).not.toContain("10.0.0.5");
  });

  it("never logs a password or bearer token", async () => {
    await inject({
      method: "POST",
      url: "/echo/1",
      headers: { authorization: "Bearer tok-SECRET-1", "x-trading-session": "sess.SECRET-2" },
      payload: { name: "a", password: "pw-SECRET-3" },
    });
    expect(logs.text()).toMatch(/"msg":"POST \/echo\/1 \d{3} [\d.]+ ms"/);
    expect(logs.text()).not.toMatch(/SECRET-\d/);
  });

  it("reports 503 NOT_READY from /readyz when the kv store is down", async () => {
    await kv.close();
    const brokenKv: KvStore = { ...kv, ping: () => Promise.reject(new Error("down")) };
    const broken = await createBareApi({ kv: brokenKv });
    const response = await broken.app.inject({ method: "GET", url: "/readyz" });
    expect(response.statusCode).toBe(503);
    expect(response.json().error).toMatchObject({
      code: "NOT_READY",
      details: { checks: { database: "ok", kv: "down" } },
    });
    await broken.close();
  });
});
