import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBareApi } from "../support/bare-api.js";
import { createHttpClient } from "../support/http-client.js";
import { sendRaw } from "../support/raw-http.js";
import { startTestApp } from "../support/test-app.js";

/** The contract's error shape, exactly: a code, a message, optional details, nothing else. */
function expectErrorShape(body: unknown, code: string) {
  expect(body).toEqual({
    error: {
      code,
      message: expect.any(String),
      ...(hasDetails(body) ? { details: expect.anything() } : {}),
    },
  });
}
const hasDetails = (body: unknown) =>
  typeof body === "object" &&
  body !== null &&
  "details" in ((body as { error?: object }).error ?? {});

const request = (line: string, headers: string[] = []) =>
  [line, "Host: osprey", "Connection: close", ...headers, "", ""].join("\r\n");

describe("what Fastify, find-my-way and Node answer by themselves, in the contract's shape", () => {
  let server: Awaited<ReturnType<typeof startTestApp>>;
  let http: ReturnType<typeof createHttpClient>;
  let auth: Record<string, string>;

  beforeAll(async () => {
    server = await startTestApp({ HTTP_HEADERS_TIMEOUT_MS: "300", HTTP_REQUEST_TIMEOUT_MS: "600" });
    http = createHttpClient(server.url);
    auth = await http.signUp("shape-user");
  });
  afterAll(() => server.close());

  it.each([
    ["bad UTF-8 in an id", "GET", "/v1/wallets/%E0%A4%A", "MALFORMED_REQUEST", 400],
    ["a lone %", "PATCH", "/v1/wallets/%", "MALFORMED_REQUEST", 400],
    ["%zz", "POST", "/v1/wallets/%zz/unlock", "MALFORMED_REQUEST", 400],
    ["an overlong encoding", "GET", "/v1/orders/%C0%80", "MALFORMED_REQUEST", 400],
    [
      "a 10,000-character wallet id",
      "GET",
      `/v1/wallets/${"a".repeat(10_000)}`,
      "URI_TOO_LONG",
      414,
    ],
    ["a 10,000-digit audit id", "GET", `/v1/audit/${"9".repeat(10_000)}`, "URI_TOO_LONG", 414],
    ["a 200-character key id", "DELETE", `/v1/api-keys/${"k".repeat(200)}`, "URI_TOO_LONG", 414],
  ])("answers %s with its code", async (_, method, path, code, status) => {
    const response = await http.call(method, path, method === "GET" ? undefined : {}, auth);
    expect(response.status).toBe(status);
    expectErrorShape(response.body, code);
    expect(response.headers.get("x-request-id")).toBeTruthy();
    expect(response.text).not.toContain("a".repeat(200));
  });

  it("answers bad bodies in the shape: media type, size, length, JSON", async () => {
    const post = (headers: Record<string, string>, body: string) =>
      fetch(`${server.url}/v1/wallets`, { method: "POST", headers: { ...auth, ...headers }, body });
    const cases: [Response, string, number][] = [
      [await post({ "content-type": "text/plain" }, "x"), "UNSUPPORTED_MEDIA_TYPE", 415],
      [await post({ "content-type": "application/xml" }, "<a/>"), "UNSUPPORTED_MEDIA_TYPE", 415],
      [await post({ "content-type": "application/json" }, "{not json"), "MALFORMED_JSON", 400],
      [await post({ "content-type": "application/json" }, ""), "MALFORMED_JSON", 400],
      [
        await post({ "content-type": "application/json" }, '{"__proto__":{"x":1}}'),
        "MALFORMED_JSON",
        400,
      ],
      [
        await post(
          { "content-type": "application/json" },
          JSON.stringify({ p: "x".repeat(70_000) }),
        ),
        "PAYLOAD_TOO_LARGE",
        413,
      ],
    ];
    for (const [response, code, status] of cases) {
      expect(response.status, code).toBe(status);
      expectErrorShape(await response.json(), code);
    }
  });

  it("answers what Node's parser refuses, in the shape, then closes", async () => {
    const cases: [string, string, number][] = [
      ["GARBAGE\r\n\r\n", "MALFORMED_REQUEST", 400],
      [request("GET /healthz HTTP/1.1", ["Bad Header\u0001: x"]), "MALFORMED_REQUEST", 400],
      [
        request("GET /healthz HTTP/1.1", [`X-Big: ${"a".repeat(20_000)}`]),
        "HEADERS_TOO_LARGE",
        431,
      ],
      [
        request("POST /v1/wallets HTTP/1.1", ["Content-Length: 5", "Content-Length: 6"]),
        "MALFORMED_REQUEST",
        400,
      ],
      [request("POST /v1/wallets HTTP/1.1", ["Content-Length: abc"]), "MALFORMED_REQUEST", 400],
      [request("GET /healthz HTTP/1.1", ["Expect: the-unexpected"]), "EXPECTATION_FAILED", 417],
    ];
    for (const [raw, code, status] of cases) {
      const exchange = await sendRaw(server.url, raw);
      expect(exchange.status, `${code}: ${exchange.text.slice(0, 200)}`).toBe(status);
      expectErrorShape(exchange.body, code);
    }
  });

  it("cuts off a client that sends half a request line and stops, with 408 in the shape", {
    timeout: 10_000,
  }, async () => {
    // Before, the server waited 60 s for the headers and checked only every 30 s.
    const half = await sendRaw(server.url, "GET /v1/wallets HT", 8_000);
    expect(half.status).toBe(408);
    expectErrorShape(half.body, "REQUEST_TIMEOUT");
    const silent = await sendRaw(server.url, "", 8_000);
    expect(silent.status === undefined || silent.status === 408).toBe(true);
  });

  it("cuts off a client that sends its headers but not the body it announced", {
    timeout: 10_000,
  }, async () => {
    const slowBody = await sendRaw(
      server.url,
      `${request("POST /v1/auth/register HTTP/1.1", ["Content-Type: application/json", "Content-Length: 100"])}{"user`,
      8_000,
    );
    expect(slowBody.status).toBe(408);
    expectErrorShape(slowBody.body, "REQUEST_TIMEOUT");
  });
});

describe("a request that arrives while the server closes", () => {
  it("gets 503 SHUTTING_DOWN in the shape, not Fastify's own body", async () => {
    let entered: () => void = () => {};
    const inside = new Promise<void>((resolve) => {
      entered = resolve;
    });
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const api = await createBareApi({
      routes: [
        (routes) =>
          routes.get("/hold", async () => {
            entered();
            await released;
            return { held: true };
          }),
      ],
    });
    const { app } = api;
    try {
      await app.listen({ host: "127.0.0.1", port: 0 });
      const { port } = app.server.address() as { port: number };
      const { connect } = await import("node:net");
      const socket = connect(port, "127.0.0.1");
      let text = "";
      socket.setEncoding("utf8");
      socket.on("data", (chunk: string) => {
        text += chunk;
      });
      const closedSocket = new Promise((resolve) => socket.on("close", resolve));
      socket.write("GET /hold HTTP/1.1\r\nHost: a\r\n\r\n");
      await inside;
      const closing = app.close();
      // The server stops listening once the close hooks (ours among them) have run.
      for (let i = 0; i < 200 && app.server.listening; i++)
        await new Promise((resolve) => setTimeout(resolve, 10));
      expect(app.server.listening).toBe(false);
      socket.write("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n");
      release();
      await closedSocket;
      await closing;
      const responses = text.split(/(?=HTTP\/1\.1 )/);
      expect(responses[0]).toMatch(/^HTTP\/1\.1 200/);
      expect(responses[1]).toMatch(/^HTTP\/1\.1 503/);
      expect(responses[1]).toMatch(/\r\nretry-after: 5\r\n/i);
      const body = JSON.parse(responses[1]?.split("\r\n\r\n")[1] ?? "");
      expect(body).toEqual({
        error: { code: "SHUTTING_DOWN", message: expect.any(String) },
      });
    } finally {
      release();
      await api.close();
    }
  });
});
