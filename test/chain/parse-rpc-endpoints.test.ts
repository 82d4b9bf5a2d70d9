import { describe, expect, it } from "vitest";
import { deriveWsUrl } from "../../src/chain/derive-ws-url.js";
import { parseRpcEndpoints } from "../../src/chain/parse-rpc-endpoints.js";
import { isOspreyError } from "../../src/core/index.js";
import { redactUrl } from "../../src/core/redact-url.js";

describe("parseRpcEndpoints", () => {
  it("reads weights, defaults them to 1 and derives ws URLs", () => {
    const endpoints = parseRpcEndpoints("https://a.example|5, https://b.example");
    expect(endpoints.map((e) => [e.url, e.weight, e.wsUrl])).toEqual([
      ["https://a.example", 5, "wss://a.example/"],
      ["https://b.example", 1, "wss://b.example/"],
    ]);
  });

  it("takes an explicit ws URL as the third field", () => {
    const [endpoint] = parseRpcEndpoints("https://a.example/rpc|2|wss://ws.a.example/sock");
    expect(endpoint?.wsUrl).toBe("wss://ws.a.example/sock");
  });

  it.each([
    ["", /No RPC endpoint/],
    ["ftp://a", /scheme/],
    ["https://a|0", /weight/],
    ["https://a|x", /weight/],
    ["https://a|1|https://b", /ws URL/],
    ["https://a|1|wss://b|extra", /at most/],
    ["https://a,https://a", /twice/],
  ])("rejects %j with a clear error", (text, message) => {
    try {
      parseRpcEndpoints(text);
      expect.unreachable();
    } catch (error) {
      expect(isOspreyError(error, "RPC_CONFIG_INVALID")).toBe(true);
      expect((error as Error).message).toMatch(message);
    }
  });

  it("never puts the API key into the label or the error", () => {
    const [endpoint] = parseRpcEndpoints("https://user:pw@rpc.example/?api-key=SECRET|3");
    expect(endpoint?.label).toBe("https://rpc.example");
    try {
      parseRpcEndpoints("https://rpc.example/?api-key=SECRET|-1");
    } catch (error) {
      expect(JSON.stringify((error as Error).message)).not.toContain("SECRET");
    }
  });
});

describe("deriveWsUrl", () => {
  it("maps the scheme by parsing and bumps an explicit port like solana-test-validator", () => {
    expect(deriveWsUrl("http://127.0.0.1:8899")).toBe("ws://127.0.0.1:8900/");
    expect(deriveWsUrl("https://rpc.example/path?k=1")).toBe("wss://rpc.example/path?k=1");
    // "https" inside the host must survive: the seed's string replace would mangle it.
    expect(deriveWsUrl("http://https-proxy.example")).toBe("ws://https-proxy.example/");
  });
});

describe("redactUrl", () => {
  it("strips credentials, query and key-like path segments", () => {
    expect(redactUrl("https://u:p@x.example:8443/v2/abcdef0123456789abcdef01?key=1#f")).toBe(
      "https://x.example:8443/v2/abcd…",
    );
  });
});
