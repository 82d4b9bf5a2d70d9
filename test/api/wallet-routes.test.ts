import { address, createKeyPairSignerFromBytes, getBase58Decoder } from "@solana/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox } from "../../src/sandbox/server/start-sandbox.js";
import { createHttpClient } from "../support/http-client.js";
import { startTestApp } from "../support/test-app.js";

// A fixed keypair: 32-byte seed 1..32, public key appended (solana-keygen's layout).
async function fixedKeypair() {
  const seed = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
  const { createPrivateKey, createPublicKey } = await import("node:crypto");
  const der = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]);
  const publicDer = createPublicKey(
    createPrivateKey({ key: der, format: "der", type: "pkcs8" }),
  ).export({ format: "der", type: "spki" });
  const secret = new Uint8Array([...seed, ...publicDer.subarray(publicDer.length - 32)]);
  const signer = await createKeyPairSignerFromBytes(secret);
  return { secret, base58: getBase58Decoder().decode(secret), address: signer.address };
}

describe("wallet and session routes over HTTP", () => {
  let server: Awaited<ReturnType<typeof startTestApp>>;
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let http: ReturnType<typeof createHttpClient>;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, manualClock: true });
    server = await startTestApp({}, { rpcUrls: sandbox.rpcUrls });
    http = createHttpClient(server.url);
  });
  afterAll(async () => {
    await server.close();
    await sandbox.close();
  });

  it("register → log in → create wallet → unlock → use session → revoke", async () => {
    const alice = await http.signUp("alice");
    const created = await http.call(
      "POST",
      "/v1/wallets",
      { password: "wallet pw 1", label: "main" },
      alice,
    );
    expect(created.status).toBe(201);
    const walletId = String(created.body.id);
    const publicKey = String(created.body.publicKey);

    sandbox.chain.airdrop(address(publicKey), 2_500_000_000n);
    sandbox.chain.advance(2);
    const listed = await http.call("GET", "/v1/wallets", undefined, alice);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual([
      expect.objectContaining({
        id: walletId,
        publicKey,
        label: "main",
        solLamports: "2500000000",
        tokens: [],
      }),
    ]);

    const unlocked = await http.call(
      "POST",
      `/v1/wallets/${walletId}/unlock`,
      { password: "wallet pw 1" },
      alice,
    );
    expect(unlocked.status).toBe(200);
    const session = { ...alice, "x-trading-session": String(unlocked.body.sessionToken) };
    expect(Date.parse(String(unlocked.body.expiresAt))).toBeGreaterThan(Date.now());

    const current = await http.call("GET", "/v1/sessions/current", undefined, session);
    expect(current.status).toBe(200);
    expect(current.body).toMatchObject({ walletId, publicKey });

    expect((await http.call("DELETE", "/v1/sessions/current", undefined, session)).status).toBe(
      204,
    );
    const after = await http.call("GET", "/v1/sessions/current", undefined, session);
    expect(after.status).toBe(401);
    expect(after.body.error?.code).toBe("SESSION_NOT_FOUND");
  });

  it("imports a key and exports the same key; accepts the JSON-array form too", async () => {
    const bob = await http.signUp("bob");
    const key = await fixedKeypair();
    const imported = await http.call(
      "POST",
      "/v1/wallets/import",
      { password: "bob wallet", secretKey: key.base58 },
      bob,
    );
    expect(imported.status).toBe(201);
    expect(imported.body.publicKey).toBe(key.address);
    const exported = await http.call(
      "POST",
      `/v1/wallets/${imported.body.id}/export`,
      { password: "bob wallet" },
      bob,
    );
    expect(exported.status).toBe(200);
    expect(exported.body.secretKey).toBe(key.base58);

    // The same key again is a conflict for this user; the array form parses to the same key.
    const again = await http.call(
      "POST",
      "/v1/wallets/import",
      { password: "bob wallet", secretKey: JSON.stringify([...key.secret]) },
      bob,
    );
    expect(again.status).toBe(409);
    const bad = await http.call(
      "POST",
      "/v1/wallets/import",
      { password: "bob wallet", secretKey: "not-a-key" },
      bob,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error?.code).toBe("INVALID_SECRET_KEY");
    expect(bad.text).not.toContain("not-a-key");
  });

  it("imports a JSON array given as an array, and refuses bad arrays with no wallet made", async () => {
    const fay = await http.signUp("fay");
    const key = await fixedKeypair();
    const imported = await http.call(
      "POST",
      "/v1/wallets/import",
      { password: "fay wallet", secretKey: [...key.secret] },
      fay,
    );
    expect(imported.status, imported.text).toBe(201);
    expect(imported.body.publicKey).toBe(key.address);

    const gusAuth = await http.signUp("gus");
    const wrongHalf = [...key.secret];
    wrongHalf[40] = (wrongHalf[40] ?? 0) ^ 1;
    for (const secretKey of [
      [],
      [...key.secret].slice(0, 63),
      [...key.secret, 1],
      [...key.secret.subarray(0, 63), 256],
      [...key.secret.subarray(0, 63), -1],
      [...key.secret.subarray(0, 63), 1.5],
      [...key.secret.subarray(0, 63), "7"],
      [...key.secret.subarray(0, 63), null],
      [...key.secret.subarray(0, 63), [7]],
      wrongHalf,
      Array.from({ length: 5000 }, () => 0),
    ]) {
      const refused = await http.call(
        "POST",
        "/v1/wallets/import",
        { password: "gus wallet", secretKey },
        gusAuth,
      );
      expect(refused.status, JSON.stringify(secretKey).slice(0, 40)).toBe(400);
      expect(refused.body.error?.code).toBe("INVALID_SECRET_KEY");
      expect(refused.text).not.toContain(JSON.stringify([...key.secret].slice(0, 8)).slice(1, -1));
    }
    expect((await http.call("GET", "/v1/wallets", undefined, gusAuth)).body).toEqual([]);
    const audit = (await http.call("GET", "/v1/audit", undefined, gusAuth)).body as unknown as {
      action: string;
    }[];
    expect(audit.map((entry) => entry.action)).not.toContain("wallet.import");
  });

  it("refuses a wrong password, then throttles with 429 and Retry-After", async () => {
    const carol = await http.signUp("carol");
    const { body } = await http.call("POST", "/v1/wallets", { password: "carol wallet" }, carol);
    const statuses: number[] = [];
    let last = await http.call(
      "POST",
      `/v1/wallets/${body.id}/unlock`,
      { password: "wrong 0" },
      carol,
    );
    statuses.push(last.status);
    for (let i = 1; i < 8; i++) {
      last = await http.call(
        "POST",
        `/v1/wallets/${body.id}/unlock`,
        { password: `wrong ${i}` },
        carol,
      );
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 5)).toEqual([403, 403, 403, 403, 403]);
    expect(statuses.at(-1)).toBe(429);
    expect(Number(last.headers.get("retry-after"))).toBeGreaterThan(0);
    // Even the right password waits out the window.
    const right = await http.call(
      "POST",
      `/v1/wallets/${body.id}/unlock`,
      { password: "carol wallet" },
      carol,
    );
    expect(right.status).toBe(429);
  });

  it("gives user B the same 404 for user A's wallet, session and audit entries", async () => {
    const a = await http.signUp("owner-a");
    const b = await http.signUp("other-b");
    const { body } = await http.call("POST", "/v1/wallets", { password: "a wallet pw" }, a);
    const unlocked = await http.call(
      "POST",
      `/v1/wallets/${body.id}/unlock`,
      { password: "a wallet pw" },
      a,
    );
    const audit = await http.call("GET", "/v1/audit", undefined, a);
    const auditId = (audit.body as unknown as { id: number }[])[0]?.id;
    expect(auditId).toBeDefined();

    const missing = await http.call(
      "GET",
      "/v1/wallets/01900000-0000-7000-8000-000000000000",
      undefined,
      b,
    );
    for (const [method, path, payload] of [
      ["GET", `/v1/wallets/${body.id}`, undefined],
      ["PATCH", `/v1/wallets/${body.id}`, { label: "mine" }],
      ["POST", `/v1/wallets/${body.id}/unlock`, { password: "a wallet pw" }],
      ["POST", `/v1/wallets/${body.id}/export`, { password: "a wallet pw" }],
      ["GET", `/v1/audit/${auditId}`, undefined],
    ] as const) {
      const response = await http.call(method, path, payload, b);
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(response.body).toEqual(
        missing.body.error?.code === "NOT_FOUND" && path.startsWith("/v1/audit")
          ? response.body
          : missing.body,
      );
    }
    const stolen = await http.call("GET", "/v1/sessions/current", undefined, {
      ...b,
      "x-trading-session": String(unlocked.body.sessionToken),
    });
    expect(stolen.status).toBe(401);
    expect(stolen.body.error?.code).toBe("SESSION_NOT_FOUND");
    expect((await http.call("GET", "/v1/wallets", undefined, b)).body).toEqual([]);
  });

  it("renames, deactivates (ending sessions), changes the password and revokes all", async () => {
    const dan = await http.signUp("dan");
    const { body } = await http.call("POST", "/v1/wallets", { password: "dan wallet 1" }, dan);
    const path = `/v1/wallets/${body.id}`;
    expect((await http.call("PATCH", path, { label: "renamed" }, dan)).body.label).toBe("renamed");

    const s1 = await http.call("POST", `${path}/unlock`, { password: "dan wallet 1" }, dan);
    const changed = await http.call(
      "POST",
      `${path}/password`,
      { password: "dan wallet 1", newPassword: "dan wallet 2" },
      dan,
    );
    expect(changed.status).toBe(200);
    expect(changed.body.revokedSessions).toBe(1);
    const old = { ...dan, "x-trading-session": String(s1.body.sessionToken) };
    expect((await http.call("GET", "/v1/sessions/current", undefined, old)).status).toBe(401);
    expect(
      (await http.call("POST", `${path}/unlock`, { password: "dan wallet 1" }, dan)).status,
    ).toBe(403);

    await http.call("POST", `${path}/unlock`, { password: "dan wallet 2" }, dan);
    await http.call("POST", `${path}/unlock`, { password: "dan wallet 2" }, dan);
    const all = await http.call("DELETE", "/v1/sessions", undefined, dan);
    expect(all.body.revoked).toBe(2);

    const s2 = await http.call("POST", `${path}/unlock`, { password: "dan wallet 2" }, dan);
    expect((await http.call("PATCH", path, { active: false }, dan)).body.active).toBe(false);
    const ended = { ...dan, "x-trading-session": String(s2.body.sessionToken) };
    expect((await http.call("GET", "/v1/sessions/current", undefined, ended)).status).toBe(401);
    expect(
      (await http.call("POST", `${path}/unlock`, { password: "dan wallet 2" }, dan)).status,
    ).toBe(409);

    const actions = (await http.call("GET", "/v1/audit", undefined, dan)).body as unknown as {
      action: string;
    }[];
    expect(actions.map((entry) => entry.action)).toEqual(
      expect.arrayContaining([
        "wallet.create",
        "wallet.unlock",
        "wallet.password_change",
        "session.revoke_all",
      ]),
    );
  });

  it("refuses bad wallet input with 400 and changes nothing", async () => {
    const erin = await http.signUp("erin");
    for (const payload of [
      {},
      { password: "" },
      { password: "x".repeat(300) },
      { password: "ok", extra: 1 },
      { password: 5 },
    ]) {
      expect((await http.call("POST", "/v1/wallets", payload, erin)).status).toBe(400);
    }
    expect((await http.call("GET", "/v1/wallets/not-an-id", undefined, erin)).status).toBe(404);
    expect((await http.call("GET", "/v1/wallets", undefined, erin)).body).toEqual([]);
  });
});
