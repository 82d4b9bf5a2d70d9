import { describe, expect, it } from "vitest";
import { createCookieClient } from "../support/cookie-client.js";
import { useTestApp } from "../support/use-test-app.js";

const DEFAULTS = {
  buyPresetsLamports: ["100000000", "500000000", "1000000000"],
  sellPresetsPercent: [25, 50, 100],
  slippageBps: 100,
};
const MINE = {
  buyPresetsLamports: ["50000000", "250000000", "2000000000", "5000000000"],
  sellPresetsPercent: [10, 33, 100],
  slippageBps: 300,
};

describe("GET and PUT /v1/settings", () => {
  const env = useTestApp();

  it("gives the defaults, then what the user saved, to that user only", async () => {
    const alice = await env.http.signUp("settings-alice");
    const bob = await env.http.signUp("settings-bob");
    expect((await env.http.call("GET", "/v1/settings", undefined, alice)).body).toEqual(DEFAULTS);
    const saved = await env.http.call("PUT", "/v1/settings", MINE, alice);
    expect(saved.status, saved.text).toBe(200);
    expect(saved.body).toEqual(MINE);
    expect((await env.http.call("GET", "/v1/settings", undefined, alice)).body).toEqual(MINE);
    expect((await env.http.call("GET", "/v1/settings", undefined, bob)).body).toEqual(DEFAULTS);
  });

  it("refuses a bad document with 400 INVALID_SETTINGS naming the field, and keeps the old one", async () => {
    const carol = await env.http.signUp("settings-carol");
    await env.http.call("PUT", "/v1/settings", MINE, carol);
    const bad: unknown[] = [
      { ...MINE, buyPresetsLamports: [] },
      { ...MINE, buyPresetsLamports: ["1", "2", "3", "4", "5", "6", "7"] },
      { ...MINE, buyPresetsLamports: ["0"] },
      { ...MINE, buyPresetsLamports: ["-5"] },
      { ...MINE, buyPresetsLamports: ["1.5"] },
      { ...MINE, buyPresetsLamports: [100000000] },
      { ...MINE, buyPresetsLamports: ["18446744073709551616"] },
      { ...MINE, sellPresetsPercent: [0] },
      { ...MINE, sellPresetsPercent: [101] },
      { ...MINE, sellPresetsPercent: [12.5] },
      { ...MINE, sellPresetsPercent: [] },
      { ...MINE, slippageBps: 0 },
      { ...MINE, slippageBps: 5001 },
      { ...MINE, slippageBps: "100" },
      { ...MINE, extra: true },
      { buyPresetsLamports: MINE.buyPresetsLamports },
      [],
      "settings",
      null,
    ];
    for (const body of bad) {
      const answer = await env.http.call("PUT", "/v1/settings", body, carol);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error?.code, JSON.stringify(body)).toBe("INVALID_SETTINGS");
    }
    const slippage = await env.http.call("PUT", "/v1/settings", { ...MINE, slippageBps: 0 }, carol);
    expect(slippage.body.error?.details).toEqual({
      problems: [{ field: "slippageBps", reason: expect.any(String) }],
    });
    expect((await env.http.call("GET", "/v1/settings", undefined, carol)).body).toEqual(MINE);
  });

  it("works with the web session (CSRF on PUT) and needs a trade key to change", async () => {
    const web = createCookieClient(env.server.url);
    await web.logIn("settings-web");
    expect((await web.call("GET", "/v1/settings")).body).toEqual(DEFAULTS);
    const forged = await web.call("PUT", "/v1/settings", MINE, {}, { csrf: false });
    expect(forged.body.error?.code).toBe("CSRF_FAILED");
    expect((await web.call("PUT", "/v1/settings", MINE)).body).toEqual(MINE);

    const owner = await env.http.signUp("settings-keys");
    const key = await env.http.call("POST", "/v1/api-keys", { scope: "read" }, owner);
    const reader = { "x-api-key": String(key.body.key) };
    expect((await env.http.call("GET", "/v1/settings", undefined, reader)).status).toBe(200);
    const refused = await env.http.call("PUT", "/v1/settings", MINE, reader);
    expect(refused.body.error?.code).toBe("INSUFFICIENT_SCOPE");
    expect((await env.http.call("GET", "/v1/settings", undefined, owner)).body).toEqual(DEFAULTS);
  });
});
