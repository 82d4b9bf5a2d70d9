import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { isOspreyError } from "../../src/core/osprey-error.js";
import { createHttpClient } from "../support/http-client.js";
import { getFreePort, startRedisServer } from "../support/redis-server.js";
import { spawnOsprey } from "../support/spawn-osprey.js";
import { startTestApp } from "../support/test-app.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("Redis stopped under a running server", () => {
  let redis: Awaited<ReturnType<typeof startRedisServer>>;
  let server: Awaited<ReturnType<typeof startTestApp>>;

  beforeAll(async () => {
    redis = await startRedisServer();
    server = await startTestApp({ REDIS_URL: redis.url });
  });
  afterAll(async () => {
    await server?.close();
    await redis?.kill();
  });

  it("answers 503 KV_UNAVAILABLE with Retry-After while it is gone, and recovers when it is back", async () => {
    const client = createHttpClient(server.url);
    const auth = await client.signUp("redisdown");
    expect((await client.call("GET", "/v1/wallets", undefined, auth)).status).toBe(200);

    await redis.kill();

    // Every authenticated route counts the request in Redis first; each refusal is the same.
    for (const [method, path] of [
      ["GET", "/v1/wallets"],
      ["GET", "/v1/api-keys"],
      ["GET", "/v1/wallets"],
      ["POST", "/v1/auth/logout"],
      ["GET", "/v1/wallets"],
    ] as const) {
      const refused = await client.call(method, path, undefined, auth);
      expect(refused.status, `${method} ${path}`).toBe(503);
      expect(refused.body.error?.code).toBe("KV_UNAVAILABLE");
      expect(refused.headers.get("retry-after")).toBe("2");
    }
    const login = await client.call("POST", "/v1/auth/login", {
      username: "redisdown",
      password: "redisdown password",
    });
    expect(login.status).toBe(503);
    expect(login.body.error?.code).toBe("KV_UNAVAILABLE");

    const ready = await client.call("GET", "/readyz");
    expect(ready.status).toBe(503);
    expect(ready.headers.get("retry-after")).not.toBeNull();
    expect(ready.body.error).toMatchObject({
      code: "NOT_READY",
      details: {
        checks: { database: "ok", kv: "down" },
        reasons: { kv: "KV_UNAVAILABLE" },
      },
    });
    expect((await client.call("GET", "/healthz")).status).toBe(200);
    // An outage is logged as one, without the request's credentials.
    expect(server.logs.text()).toContain("KV_UNAVAILABLE");

    await redis.start();
    // The client reconnects at most a second apart: poll readiness, bounded.
    let readyAgain = 0;
    for (let attempt = 0; attempt < 100 && readyAgain !== 200; attempt += 1) {
      readyAgain = (await client.call("GET", "/readyz")).status;
      if (readyAgain !== 200) await sleep(100);
    }
    expect(readyAgain).toBe(200);
    // The token lives in the database, so the same login works again; Redis lost only counters.
    expect((await client.call("GET", "/v1/wallets", undefined, auth)).status).toBe(200);
    expect((await client.call("GET", "/v1/api-keys", undefined, auth)).status).toBe(200);
  }, 60_000);
});

describe("REDIS_URL that does not answer at start-up", () => {
  const password = "hunter2-canary-secret";

  it("stops createApp with KV_UNAVAILABLE naming REDIS_URL, without the password", async () => {
    const port = await getFreePort();
    const error = await startTestApp({
      REDIS_URL: `redis://osprey:${password}@127.0.0.1:${port}/0`,
      REDIS_CONNECT_TIMEOUT_MS: "300",
    }).then(
      async (started) => {
        await started.close();
        return undefined;
      },
      (caught: unknown) => caught,
    );
    expect(isOspreyError(error, "KV_UNAVAILABLE")).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain(`REDIS_URL (redis://127.0.0.1:${port}/0)`);
    expect(message).toContain("ECONNREFUSED");
    expect(message).not.toContain(password);
  });

  it("makes `osprey serve` exit 1 with a message naming REDIS_URL, without the password", async () => {
    const port = await getFreePort();
    const dataDir = mkdtempSync(join(tmpdir(), "osprey-redis-startup-"));
    onTestFinished(() => rmSync(dataDir, { recursive: true, force: true }));
    const osprey = spawnOsprey(["serve", "--port", "0", "--json"], {
      REDIS_URL: `redis://osprey:${password}@127.0.0.1:${port}`,
      REDIS_CONNECT_TIMEOUT_MS: "300",
      DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
    });
    // A server that starts anyway is the failure this test is about: stop it and say so.
    const outcome = await Promise.race([
      osprey.exited().then((code) => ({ kind: "exited" as const, code })),
      // A rejected ready line means it exited: the other branch reports how.
      osprey.ready.then(
        () => ({ kind: "ready" as const }),
        () => new Promise<never>(() => {}),
      ),
    ]);
    if (outcome.kind === "ready") {
      osprey.child.kill("SIGTERM");
      await osprey.exited();
    }
    expect(outcome).toEqual({ kind: "exited", code: 1 });
    expect(await osprey.exited()).toBe(1);
    expect(osprey.stderr()).toContain("KV_UNAVAILABLE: REDIS_URL (redis://127.0.0.1:");
    expect(osprey.stderr()).not.toContain(password);
  }, 60_000);
});
