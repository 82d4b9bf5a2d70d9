import { describe, expect, it } from "vitest";
import { createCookieClient } from "../support/cookie-client.js";
import { useTestApp } from "../support/use-test-app.js";

const DEFAULTS = {
  buyPresetsLamports: ["100000000", "500000000", "1000000000"],
  sellPresetsPercent: [25, 50, 100],
  slippageBps: 100,
  priorityLevel: "medium",
  maxPriorityFeeLamports: "5000000",
  mevProtection: false,
  tipLamports: null,
};
const MINE = {
  buyPresetsLamports: ["50000000", "250000000", "2000000000", "5000000000"],
  sellPresetsPercent: [10, 33, 100],
  slippageBps: 300,
  priorityLevel: "veryHigh",
  maxPriorityFeeLamports: "20000000",
  mevProtection: true,
  tipLamports: "250000",
};
/** What a client from before the trading settings sends: only the presets and slippage. */
const OLD_CLIENT = {
  buyPresetsLamports: ["70000000"],
  sellPresetsPercent: [50, 100],
  slippageBps: 150,
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
      { ...MINE, priorityLevel: "turbo" },
      { ...MINE, priorityLevel: "Medium" },
      { ...MINE, priorityLevel: null },
      { ...MINE, maxPriorityFeeLamports: "0" },
      { ...MINE, maxPriorityFeeLamports: "1000000001" },
      { ...MINE, maxPriorityFeeLamports: 5000000 },
      { ...MINE, maxPriorityFeeLamports: "5e6" },
      { ...MINE, maxPriorityFeeLamports: "05000000" },
      { ...MINE, maxPriorityFeeLamports: null },
      { ...MINE, mevProtection: "true" },
      { ...MINE, mevProtection: 1 },
      { ...MINE, mevProtection: null },
      { ...MINE, tipLamports: "999" },
      { ...MINE, tipLamports: "1000000001" },
      { ...MINE, tipLamports: "-1000" },
      { ...MINE, tipLamports: 5000 },
      { ...MINE, tipLamports: "" },
      { ...MINE, tipLamports: "auto" },
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

  it("names every bad trading field with its own problem, and saves none of the document", async () => {
    const dana = await env.http.signUp("settings-dana");
    await env.http.call("PUT", "/v1/settings", MINE, dana);
    const cases: [string, unknown, RegExp][] = [
      ["priorityLevel", "turbo", /none, low, medium, high, veryHigh/],
      ["maxPriorityFeeLamports", "0", /from 1 to 1000000000 lamports/],
      ["maxPriorityFeeLamports", "1000000001", /from 1 to 1000000000 lamports/],
      ["maxPriorityFeeLamports", 5000, /string of digits/],
      ["maxPriorityFeeLamports", "1.5", /whole number of lamports/],
      ["mevProtection", "yes", /true or false/],
      ["tipLamports", "999", /from 1000 to 1000000000 lamports/],
      ["tipLamports", "1000000001", /from 1000 to 1000000000 lamports/],
      ["tipLamports", 1000, /string of digits/],
    ];
    for (const [field, value, reason] of cases) {
      const answer = await env.http.call("PUT", "/v1/settings", { ...MINE, [field]: value }, dana);
      const what = `${field}=${JSON.stringify(value)}`;
      expect(answer.status, what).toBe(400);
      expect(answer.body.error?.code, what).toBe("INVALID_SETTINGS");
      expect(answer.body.error?.details, what).toEqual({
        problems: [{ field, reason: expect.stringMatching(reason) }],
      });
    }
    // Four at once: four problems, one per field, and still nothing saved.
    const all = await env.http.call(
      "PUT",
      "/v1/settings",
      {
        ...MINE,
        slippageBps: 300,
        priorityLevel: "max",
        maxPriorityFeeLamports: "0",
        mevProtection: "on",
        tipLamports: "10",
      },
      dana,
    );
    expect(all.status).toBe(400);
    const details = all.body.error?.details as { problems?: { field: string }[] } | undefined;
    const problems = details?.problems ?? [];
    expect(problems.map((problem) => problem.field).sort()).toEqual([
      "maxPriorityFeeLamports",
      "mevProtection",
      "priorityLevel",
      "tipLamports",
    ]);
    expect(all.body.error?.message).toMatch(/^Settings not saved: /);
    expect((await env.http.call("GET", "/v1/settings", undefined, dana)).body).toEqual(MINE);
  });

  it("keeps older clients working: a PUT without the trading fields saves their defaults", async () => {
    const erin = await env.http.signUp("settings-erin");
    await env.http.call("PUT", "/v1/settings", MINE, erin);
    const saved = await env.http.call("PUT", "/v1/settings", OLD_CLIENT, erin);
    expect(saved.status, saved.text).toBe(200);
    const expected = {
      ...OLD_CLIENT,
      priorityLevel: "medium",
      maxPriorityFeeLamports: "5000000",
      mevProtection: false,
      tipLamports: null,
    };
    expect(saved.body).toEqual(expected);
    expect((await env.http.call("GET", "/v1/settings", undefined, erin)).body).toEqual(expected);
    // Each trading field on its own, the others left out; the bounds are inclusive.
    const partial = await env.http.call(
      "PUT",
      "/v1/settings",
      { ...OLD_CLIENT, priorityLevel: "none", tipLamports: "1000" },
      erin,
    );
    expect(partial.body).toEqual({ ...expected, priorityLevel: "none", tipLamports: "1000" });
    const top = await env.http.call(
      "PUT",
      "/v1/settings",
      { ...OLD_CLIENT, maxPriorityFeeLamports: "1000000000", tipLamports: "1000000000" },
      erin,
    );
    expect(top.body).toEqual({
      ...expected,
      maxPriorityFeeLamports: "1000000000",
      tipLamports: "1000000000",
    });
    const floor = await env.http.call(
      "PUT",
      "/v1/settings",
      { ...OLD_CLIENT, maxPriorityFeeLamports: "1", mevProtection: true, tipLamports: null },
      erin,
    );
    expect(floor.body).toEqual({ ...expected, maxPriorityFeeLamports: "1", mevProtection: true });
  });

  it("reads a document saved before the trading fields (or one broken by hand) with their defaults", async () => {
    const fred = await env.http.signUp("settings-fred");
    const user = await env.server.app.store.users.findByUsername("settings-fred");
    if (!user) throw new Error("no user");
    await env.server.app.store.settings.save(user.id, {
      ...OLD_CLIENT,
      priorityLevel: "ludicrous",
      tipLamports: "12",
    });
    expect((await env.http.call("GET", "/v1/settings", undefined, fred)).body).toEqual({
      ...OLD_CLIENT,
      priorityLevel: "medium",
      maxPriorityFeeLamports: "5000000",
      mevProtection: false,
      tipLamports: null,
    });
  });

  it("documents the trading fields in the OpenAPI description", async () => {
    const spec = await env.http.call("GET", "/docs/json");
    expect(spec.status).toBe(200);
    const put = (spec.body as { paths: Record<string, Record<string, unknown>> }).paths[
      "/v1/settings"
    ]?.put as {
      description: string;
      requestBody: { content: Record<string, { schema: unknown }> };
    };
    expect(put.description).toMatch(
      /priorityLevel.*maxPriorityFeeLamports.*mevProtection.*tipLamports/,
    );
    const body = JSON.stringify(put.requestBody.content["application/json"]?.schema);
    for (const level of ["none", "low", "medium", "high", "veryHigh"])
      expect(body).toContain(level);
    expect(body).toContain("tipLamports");
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
