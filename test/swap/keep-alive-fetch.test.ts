import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKeepAliveFetch } from "../../src/swap/keep-alive-fetch.js";
import { sendJson, startJsonServer } from "../support/json-server.js";

describe("keep-alive fetch", () => {
  let server: Awaited<ReturnType<typeof startJsonServer>>;
  const ports: number[] = [];
  const fetchFn = createKeepAliveFetch();

  beforeAll(async () => {
    server = await startJsonServer((request, response) => {
      ports.push(request.socket.remotePort ?? 0);
      const url = new URL(request.url ?? "/", "http://x");
      if (url.pathname === "/echo")
        return sendJson(
          response,
          200,
          { method: request.method, body: request.body, type: request.headers["content-type"] },
          { "x-answer": "yes" },
        );
      if (url.pathname === "/gzip") {
        response.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
        return void response.end(gzipSync(JSON.stringify({ amount: "18446744073709551615" })));
      }
      if (url.pathname === "/limited")
        return sendJson(response, 429, { errorCode: "RATE" }, { "retry-after": "3" });
      if (url.pathname === "/slow") return new Promise((resolve) => setTimeout(resolve, 1_000));
      sendJson(response, 404, { error: "not found" });
    });
  });
  afterAll(() => server.close());

  it("answers a 2xx with status, headers, JSON and a clone, over one kept-alive socket", async () => {
    ports.length = 0;
    const response = await fetchFn(`${server.url}/echo?q=1`);
    expect(response.ok).toBe(true);
    expect(response.status).toBe(200);
    expect(response.headers.get("x-answer")).toBe("yes");
    expect(await response.clone().json()).toEqual({ method: "GET", body: "" });
    expect(await response.json()).toEqual({ method: "GET", body: "" });
    await fetchFn(`${server.url}/echo`);
    expect(ports).toHaveLength(2);
    expect(ports[1]).toBe(ports[0]);
  });

  it("sends a string body with its headers", async () => {
    const response = await fetchFn(new URL(`${server.url}/echo`), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ quote: 1 }),
    });
    expect(await response.json()).toEqual({
      method: "POST",
      body: '{"quote":1}',
      type: "application/json",
    });
  });

  it("decodes a compressed body, as fetch does", async () => {
    const response = await fetchFn(`${server.url}/gzip`);
    expect(await response.text()).toBe('{"amount":"18446744073709551615"}');
  });

  it("answers anything but 2xx with a real Response, body and headers included", async () => {
    const response = await fetchFn(`${server.url}/limited`);
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("3");
    expect(await response.clone().json()).toEqual({ errorCode: "RATE" });
  });

  it("rejects with the signal's reason when it aborts, and refuses what it cannot send", async () => {
    await expect(
      fetchFn(`${server.url}/slow`, { signal: AbortSignal.timeout(50) }),
    ).rejects.toMatchObject({ name: "TimeoutError" });
    await expect(fetchFn(new Request(`${server.url}/echo`))).rejects.toThrow(TypeError);
    await expect(
      fetchFn(`${server.url}/echo`, { method: "POST", body: new Uint8Array([1]) }),
    ).rejects.toThrow(TypeError);
  });
});
