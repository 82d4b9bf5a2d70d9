import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpClient } from "../support/http-client.js";
import { startTestApp } from "../support/test-app.js";

type Server = Awaited<ReturnType<typeof startTestApp>>;

/**
 * Spends the register route's per-IP allowance as seen from `forwardedFor` (an invalid username
 * is refused only after the limit is counted, so no account is made), and says how many it took.
 */
async function exhaustRegisterLimit(server: Server, forwardedFor: string): Promise<number> {
  const http = createHttpClient(server.url);
  for (let attempt = 1; attempt <= 300; attempt++) {
    const response = await http.call(
      "POST",
      "/v1/auth/register",
      { username: "not a valid name", password: "long enough password" },
      { "x-forwarded-for": forwardedFor },
    );
    if (response.status === 429) return attempt;
    expect(response.status).toBe(400);
  }
  throw new Error("the register route never limited this address");
}

async function statusFrom(server: Server, forwardedFor: string): Promise<number> {
  const response = await createHttpClient(server.url).call(
    "POST",
    "/v1/auth/register",
    { username: "not a valid name", password: "long enough password" },
    { "x-forwarded-for": forwardedFor },
  );
  return response.status;
}

describe("TRUST_PROXY and per-IP limits", () => {
  let direct: Server;
  let behindProxy: Server;
  let behindOneHop: Server;

  beforeAll(async () => {
    [direct, behindProxy, behindOneHop] = await Promise.all([
      startTestApp(),
      startTestApp({ TRUST_PROXY: "127.0.0.1" }),
      startTestApp({ TRUST_PROXY: "1" }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([direct?.close(), behindProxy?.close(), behindOneHop?.close()]);
  });

  it("counts per X-Forwarded-For address behind a trusted proxy", async () => {
    await exhaustRegisterLimit(behindProxy, "203.0.113.7");
    expect(await statusFrom(behindProxy, "203.0.113.7")).toBe(429);
    // Another client behind the same proxy keeps its own allowance.
    expect(await statusFrom(behindProxy, "203.0.113.8")).toBe(400);
    // Only the hop the proxy appended counts: a client cannot prepend its way out.
    expect(await statusFrom(behindProxy, "198.51.100.1, 203.0.113.7")).toBe(429);
  });

  it("counts per X-Forwarded-For address with a hop count", async () => {
    await exhaustRegisterLimit(behindOneHop, "203.0.113.9");
    expect(await statusFrom(behindOneHop, "203.0.113.10")).toBe(400);
  });

  it("ignores X-Forwarded-For when no proxy is trusted", async () => {
    await exhaustRegisterLimit(direct, "203.0.113.7");
    // Every claimed address is the same socket address, so it is still limited.
    expect(await statusFrom(direct, "203.0.113.8")).toBe(429);
    expect(await statusFrom(direct, "198.51.100.99")).toBe(429);
  });
});
