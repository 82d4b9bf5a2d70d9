import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpClient } from "../support/http-client.js";
import { startTradingSandbox, type TradingSandbox } from "../trading/trading-setup.js";

/** GET /v1/meta's mevProtection: true only when a private landing route is configured. */
describe("GET /v1/meta: mevProtection", () => {
  let sandbox: TradingSandbox;
  beforeAll(async () => {
    sandbox = await startTradingSandbox();
  }, 120_000);
  afterAll(async () => sandbox?.close());

  const metaWith = async (env: Record<string, string>) => {
    const server = await sandbox.startApp({ sandbox: true }, env);
    try {
      const meta = await createHttpClient(server.url).call("GET", "/v1/meta");
      expect(meta.status, meta.text).toBe(200);
      return meta.body;
    } finally {
      await server.close();
    }
  };

  it("is false with only public RPC endpoints, true with a block engine or a sender", async () => {
    expect((await metaWith({})).mevProtection).toBe(false);
    expect((await metaWith({ JITO_URLS: " , " })).mevProtection).toBe(false);
    // Nothing needs to answer there for /v1/meta: it says what is configured.
    expect((await metaWith({ JITO_URLS: "http://127.0.0.1:9" })).mevProtection).toBe(true);
    expect((await metaWith({ SENDER_URLS: "http://127.0.0.1:9/fast" })).mevProtection).toBe(true);
  }, 60_000);
});
