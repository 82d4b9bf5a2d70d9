import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/core/logger.js";
import { createLogCapture, startTestApp } from "../support/test-app.js";

type Server = Awaited<ReturnType<typeof startTestApp>>;
type Line = Record<string, unknown> & { level: number; msg: string };

const lines = (text: string): Line[] =>
  text
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Line);

/** Sends a request with a known id and returns it with the status. */
async function send(server: Server, id: string, path: string, init: RequestInit = {}) {
  const response = await fetch(`${server.url}${path}`, {
    ...init,
    headers: { "x-request-id": id, ...init.headers },
  });
  await response.arrayBuffer();
  return response.status;
}

describe("request log: one line per request", () => {
  let server: Server;
  let debugServer: Server;
  const debugLogs = createLogCapture();

  beforeAll(async () => {
    server = await startTestApp();
    debugServer = await startTestApp(
      {},
      { logger: createLogger({ level: "debug", destination: debugLogs.destination }) },
    );
  });
  afterAll(async () => {
    await server?.close();
    await debugServer?.close();
  });

  it("logs method, path without the query, status, ms and request id, once; probes stay below info", async () => {
    const statuses = {
      "req-health": await send(server, "req-health", "/healthz"),
      "req-ready": await send(server, "req-ready", "/readyz"),
      "req-metrics": await send(server, "req-metrics", "/metrics"),
      "req-missing": await send(server, "req-missing", "/v1/nowhere?token=QUERYSECRET"),
      "req-register": await send(server, "req-register", "/v1/auth/register", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "logger-user", password: "a passphrase long enough" }),
      }),
      "req-bad": await send(server, "req-bad", "/v1/auth/register", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{",
      }),
    };
    expect(statuses).toEqual({
      "req-health": 200,
      "req-ready": 200,
      "req-metrics": 200,
      "req-missing": 404,
      "req-register": 201,
      "req-bad": 400,
    });
    const all = lines(server.logs.text());
    const byId = (id: string) => all.filter((line) => line.reqId === id);

    for (const id of ["req-health", "req-ready", "req-metrics"]) expect(byId(id)).toEqual([]);
    expect(byId("req-missing")).toEqual([
      expect.objectContaining({
        level: 30,
        method: "GET",
        path: "/v1/nowhere",
        status: 404,
        code: "ROUTE_NOT_FOUND",
        ms: expect.any(Number),
        msg: expect.stringMatching(/^GET \/v1\/nowhere 404 [\d.]+ ms$/),
      }),
    ]);
    expect(byId("req-register")).toEqual([
      expect.objectContaining({ method: "POST", path: "/v1/auth/register", status: 201 }),
    ]);
    expect(byId("req-register")[0]).not.toHaveProperty("code");
    expect(byId("req-bad")).toEqual([
      expect.objectContaining({ status: 400, code: "MALFORMED_JSON" }),
    ]);
    expect(server.logs.text()).not.toContain("QUERYSECRET");
    expect(server.logs.text()).not.toMatch(/incoming request|request completed/);
  });

  it("still logs the probes at debug, one line each", async () => {
    expect(await send(debugServer, "probe-1", "/healthz")).toBe(200);
    const probe = lines(debugLogs.text()).filter((line) => line.reqId === "probe-1");
    expect(probe).toEqual([
      expect.objectContaining({ level: 20, method: "GET", path: "/healthz", status: 200 }),
    ]);
  });
});
