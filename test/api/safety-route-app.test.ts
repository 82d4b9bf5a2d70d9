import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SandboxStack, startSandboxStack } from "../../src/cli/start-sandbox-stack.js";
import { createHttpClient } from "../support/http-client.js";
import { startTestApp } from "../support/test-app.js";

describe("token safety through the composed app and the sandbox market", () => {
  let stack: SandboxStack;
  let server: Awaited<ReturnType<typeof startTestApp>>;
  let http: ReturnType<typeof createHttpClient>;

  beforeAll(async () => {
    stack = await startSandboxStack({ port: 0, slotMs: 100 });
    server = await startTestApp(
      {},
      {
        rpcUrls: stack.ready.rpc,
        swapApiUrl: stack.ready.swapApi,
        pinnedMints: { USDC: stack.ready.mints.USDC ?? "" },
      },
    );
    http = createHttpClient(server.url);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await stack?.close();
  });

  it("rates a healthy token ok, the pinned stable ok, and a honeypot block with reasons", async () => {
    const auth = await http.signUp("checker");
    const healthy = await http.call(
      "GET",
      `/v1/tokens/${stack.ready.mints.BONKY}/safety`,
      undefined,
      auth,
    );
    expect(healthy.status).toBe(200);
    expect(healthy.body).toMatchObject({ verdict: "ok", symbol: "BONKY" });

    const stable = await http.call(
      "GET",
      `/v1/tokens/${stack.ready.mints.USDC}/safety`,
      undefined,
      auth,
    );
    expect(stable.body).toMatchObject({ verdict: "ok" });

    const honeypot = await http.call(
      "GET",
      `/v1/tokens/${stack.ready.risky.FREEZE}/safety`,
      undefined,
      auth,
    );
    expect(honeypot.body.verdict).toBe("block");
    const checks = honeypot.body.checks as { id: string; status: string }[];
    expect(checks.find((check) => check.id === "freeze_authority")?.status).toBe("fail");
  });

  it("asks for authentication and refuses malformed mints with 400", async () => {
    expect((await http.call("GET", `/v1/tokens/${stack.ready.mints.BONKY}/safety`)).status).toBe(
      401,
    );
    const auth = await http.signUp("checker-2");
    const bad = await http.call("GET", "/v1/tokens/not-a-mint/safety", undefined, auth);
    expect(bad.status).toBe(400);
    expect(bad.body.error?.code).toBe("INVALID_ADDRESS");
  });
});
