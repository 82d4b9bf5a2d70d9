import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createKeyPairSignerFromBytes, getBase58Decoder } from "@solana/kit";
import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createCookieClient } from "../support/cookie-client.js";
import { POSTGRES_SKIP_REASON } from "../support/databases.js";
import { createHttpClient } from "../support/http-client.js";
import { REDIS_SKIP_REASON } from "../support/kv-stores.js";
import { startTestApp } from "../support/test-app.js";

// A known key, imported and then hunted for everywhere the service writes.
const SEED = Uint8Array.from({ length: 32 }, (_, i) => (i * 7 + 3) % 256);

async function canaryKey() {
  const { createPrivateKey, createPublicKey } = await import("node:crypto");
  const der = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), SEED]);
  const spki = createPublicKey(createPrivateKey({ key: der, format: "der", type: "pkcs8" })).export(
    { format: "der", type: "spki" },
  );
  const secret = new Uint8Array([...SEED, ...spki.subarray(spki.length - 32)]);
  await createKeyPairSignerFromBytes(secret);
  const forms = [
    getBase58Decoder().decode(secret),
    Buffer.from(secret).toString("base64"),
    Buffer.from(secret).toString("base64url"),
    Buffer.from(secret).toString("hex"),
    JSON.stringify([...secret]),
    [...secret].join(", "),
    // The private half alone is the key too.
    getBase58Decoder().decode(SEED),
    Buffer.from(SEED).toString("base64"),
    Buffer.from(SEED).toString("hex"),
    JSON.stringify([...SEED]).slice(1, -1),
  ];
  return { base58: forms[0] as string, secret, forms };
}

function findLeaks(where: string, text: string, forms: readonly string[]): string[] {
  return forms
    .filter((form) => text.includes(form))
    .map((form) => `${where} contains ${form.slice(0, 12)}…`);
}

/** Drives every wallet and session route, successes and failures, with the canary key. */
async function exerciseWalletRoutes(url: string, base58: string, secret: Uint8Array) {
  const http = createHttpClient(url);
  const auth = await http.signUp("canary");
  const imported = await http.call(
    "POST",
    "/v1/wallets/import",
    { password: "canary pw 1", secretKey: base58, label: "c" },
    auth,
  );
  expect(imported.status).toBe(201);
  const id = String(imported.body.id);
  const calls: [string, string, unknown?, Record<string, string>?][] = [
    ["POST", "/v1/wallets/import", { password: "canary pw 1", secretKey: base58 }],
    [
      "POST",
      "/v1/wallets/import",
      { password: "canary pw 1", secretKey: JSON.stringify([...secret]) },
    ],
    ["POST", "/v1/wallets/import", { password: "canary pw 1", secretKey: `${base58}x` }],
    ["POST", "/v1/wallets", { password: "other wallet" }],
    ["GET", "/v1/wallets"],
    ["GET", `/v1/wallets/${id}`],
    ["PATCH", `/v1/wallets/${id}`, { label: "renamed" }],
    ["POST", `/v1/wallets/${id}/export`, { password: "canary pw 1" }],
    ["POST", `/v1/wallets/${id}/export`, { password: "wrong" }],
    ["POST", `/v1/wallets/${id}/unlock`, { password: "wrong" }],
  ];
  for (const [method, path, body] of calls) await http.call(method, path, body, auth);
  const unlocked = await http.call(
    "POST",
    `/v1/wallets/${id}/unlock`,
    { password: "canary pw 1" },
    auth,
  );
  expect(unlocked.status).toBe(200);
  const session = { ...auth, "x-trading-session": String(unlocked.body.sessionToken) };
  await http.call("GET", "/v1/sessions/current", undefined, session);
  await http.call("GET", "/v1/sessions/current", undefined, {
    ...auth,
    "x-trading-session": "bad.token",
  });
  await http.call(
    "POST",
    `/v1/wallets/${id}/password`,
    { password: "canary pw 1", newPassword: "canary pw 2" },
    auth,
  );
  const again = await http.call(
    "POST",
    `/v1/wallets/${id}/unlock`,
    { password: "canary pw 2" },
    auth,
  );
  // Leave one session open so the store holds a live one while it is searched.
  await http.call("POST", `/v1/wallets/${id}/unlock`, { password: "canary pw 2" }, auth);
  await http.call("DELETE", "/v1/sessions/current", undefined, {
    ...auth,
    "x-trading-session": String(again.body.sessionToken),
  });
  await exerciseGrantRoutes(http, id, auth);
  await http.call("GET", "/v1/audit", undefined, auth);
  return (await http.call("GET", "/metrics")).text;
}

// The operator's automation key: hunted for too, beside the wallet key it seals.
const AUTOMATION_KEY = randomBytes(32);
const AUTOMATION_ENV = { AUTOMATION_KEY: AUTOMATION_KEY.toString("base64") };
const AUTOMATION_KEY_FORMS = [AUTOMATION_KEY.toString("base64"), AUTOMATION_KEY.toString("hex")];

/** Grants automation (the key re-encrypted under AUTOMATION_KEY), fails one, revokes, grants again. */
async function exerciseGrantRoutes(
  http: ReturnType<typeof createHttpClient>,
  id: string,
  auth: Record<string, string>,
) {
  const path = `/v1/wallets/${id}/automation`;
  const body = {
    password: "canary pw 2",
    maxOrderLamports: "1000",
    maxDailyLamports: "5000",
    orderTypes: ["stop_loss"],
    expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
  };
  expect((await http.call("POST", path, body, auth)).status).toBe(201);
  await http.call("POST", path, { ...body, password: "wrong" }, auth);
  await http.call("GET", path, undefined, auth);
  await http.call("DELETE", path, undefined, auth);
  // Leave one grant active so the store holds a sealed key while it is searched.
  expect((await http.call("POST", path, body, auth)).status).toBe(201);
}

describe("secret canary", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it("finds the key in no log line, SQLite file or metric (SQLite + memory store)", async () => {
    const { base58, secret, forms } = await canaryKey();
    const server = await startTestApp(AUTOMATION_ENV);
    cleanups.push(server.close);
    const metrics = await exerciseWalletRoutes(server.url, base58, secret);
    const sealed = await server.app.store.automationGrants.listForUser(
      (
        await server.app.store.database.db
          .selectFrom("users")
          .select("id")
          .executeTakeFirstOrThrow()
      ).id,
    );
    expect(sealed.filter((grant) => grant.sealedKey !== null)).toHaveLength(1);
    forms.push(...AUTOMATION_KEY_FORMS);
    await server.app.close();
    const files = readdirSync(server.dataDir).map((name) => join(server.dataDir, name));
    const leaks = [
      ...findLeaks("logs", server.logs.text(), forms),
      ...findLeaks("metrics", metrics, forms),
      ...files.flatMap((file) => findLeaks(file, readFileSync(file).toString("latin1"), forms)),
    ];
    expect(server.logs.text()).toContain("/v1/wallets/import");
    expect(leaks).toEqual([]);
  });

  it("logs neither the login token nor the trading session token of a web session", async () => {
    const server = await startTestApp({ LOG_LEVEL: "debug" });
    cleanups.push(server.close);
    const web = createCookieClient(server.url);
    await web.logIn("cookie-canary");
    const loginToken = web.jar.get("osprey_session") ?? "";
    const csrfToken = web.jar.get("osprey_csrf") ?? "";
    const wallet = await web.call("POST", "/v1/wallets", { password: "canary pw 1" });
    const unlocked = await web.call("POST", `/v1/wallets/${wallet.body.id}/unlock`, {
      password: "canary pw 1",
    });
    const sessionToken = String(unlocked.body.sessionToken);
    expect(web.jar.get("osprey_trading")).toBe(sessionToken);
    await web.call("GET", "/v1/sessions/current");
    await web.call("POST", "/v1/wallets", { password: "canary pw 1" }, {}, { csrf: false });
    await web.call("GET", "/v1/me", undefined, { cookie: `osprey_session=${loginToken}x` });
    await web.call("DELETE", "/v1/sessions/current");
    await web.call("POST", "/v1/auth/logout");
    await server.app.close();
    const logs = server.logs.text();
    expect(logs).toContain("/v1/sessions/current");
    expect(loginToken.length).toBeGreaterThan(20);
    const leaks = [loginToken, sessionToken, sessionToken.split(".")[1] ?? "", csrfToken]
      .filter((secret) => secret.length > 0 && logs.includes(secret))
      .map((secret) => `${secret.slice(0, 6)}…`);
    expect(leaks).toEqual([]);
  });

  const postgresUrl = process.env.TEST_POSTGRES_URL;
  const redisUrl = process.env.TEST_REDIS_URL;
  const skipReason =
    [POSTGRES_SKIP_REASON, REDIS_SKIP_REASON].filter((reason) => reason !== null).join("; ") ||
    null;
  it.skipIf(skipReason !== null)(
    `finds the key in no PostgreSQL dump or Redis value (PostgreSQL + Redis)${skipReason ? ` — skipped: ${skipReason}` : ""}`,
    async () => {
      const { base58, secret, forms } = await canaryKey();
      const name = `osprey_canary_${randomBytes(6).toString("hex")}`;
      const admin = new pg.Client({ connectionString: postgresUrl });
      await admin.connect();
      await admin.query(`create database ${name}`);
      const databaseUrl = new URL(postgresUrl ?? "");
      databaseUrl.pathname = `/${name}`;
      const prefix = `osprey-canary-${randomBytes(6).toString("hex")}:`;
      const redis = new Redis(redisUrl ?? "");
      cleanups.push(async () => {
        const keys = await redis.keys(`${prefix}*`);
        if (keys.length > 0) await redis.del(...keys);
        redis.disconnect();
        await admin.query(`drop database if exists ${name} with (force)`);
        await admin.end();
      });

      const server = await startTestApp({
        DATABASE_URL: databaseUrl.toString(),
        REDIS_URL: redisUrl ?? "",
        REDIS_PREFIX: prefix,
        ...AUTOMATION_ENV,
      });
      cleanups.push(server.close);
      const metrics = await exerciseWalletRoutes(server.url, base58, secret);

      const dump = execFileSync("pg_dump", ["--no-owner", databaseUrl.toString()], {
        encoding: "utf8",
      });
      expect(dump).toContain("wallet.unlock");
      expect(dump).toContain("automation.grant");
      forms.push(...AUTOMATION_KEY_FORMS);
      const values: string[] = [];
      let cursor = "0";
      do {
        const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 200);
        cursor = next;
        for (const key of keys) {
          const type = await redis.type(key);
          if (type === "string") values.push(`${key}=${await redis.get(key)}`);
          else if (type === "set") values.push(`${key}=${(await redis.smembers(key)).join(",")}`);
          else values.push(`${key}:${type}`);
        }
      } while (cursor !== "0");
      expect(values.some((value) => value.includes("session:"))).toBe(true);
      const leaks = [
        ...findLeaks("logs", server.logs.text(), forms),
        ...findLeaks("metrics", metrics, forms),
        ...findLeaks("pg_dump", dump, forms),
        ...findLeaks("redis", values.join("\n"), forms),
      ];
      expect(leaks).toEqual([]);
    },
  );
});
