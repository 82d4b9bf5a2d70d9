import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { createHttpClient, type HttpResult } from "../support/http-client.js";
import { startTestApp } from "../support/test-app.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A second connection to the app's SQLite file takes the write lock (as a CLI command or a
 * backup would), then a write request comes in. The test's own event loop is the server's too:
 * if the server blocks waiting for the lock, nothing in this file runs until it gives up.
 */
describe("SQLite locked by another connection while a write waits", () => {
  let server: Awaited<ReturnType<typeof startTestApp>> | undefined;
  let lock: SqliteDatabase.Database | undefined;
  afterEach(async () => {
    if (lock?.inTransaction) lock.exec("ROLLBACK");
    lock?.close();
    await server?.close();
  });

  async function lockWhileWriting(env: Record<string, string>) {
    server = await startTestApp(env);
    const client = createHttpClient(server.url);
    const events: string[] = [];
    lock = new SqliteDatabase(join(server.dataDir, "osprey.db"));
    lock.exec("BEGIN IMMEDIATE");
    events.push("lock taken");

    let write: HttpResult | undefined;
    const writing = client
      .call("POST", "/v1/auth/register", { username: "locked", password: "locked password" })
      .then((result) => {
        events.push("write answered");
        write = result;
        return result;
      });
    // Wait until the server reports the write waiting on the lock (or the write has answered,
    // which is what a server that blocks does first).
    const lockWaits = async () =>
      Number(/^db_lock_waits_total (\d+)/m.exec((await client.call("GET", "/metrics")).text)?.[1]);
    while (write === undefined && !((await lockWaits()) > 0)) await sleep(5);

    const health = await client.call("GET", "/healthz");
    events.push(`healthz answered ${health.status}`);
    return { client, events, writing, isPending: () => write === undefined };
  }

  it("answers /healthz while the lock is held, then completes the write once it is released", async () => {
    const { client, events, writing, isPending } = await lockWhileWriting({
      SQLITE_LOCK_WAIT_MS: "30000",
    });
    const pendingWhenReleased = isPending();
    lock?.exec("COMMIT");
    events.push("lock released");
    const write = await writing;

    expect(events).toEqual([
      "lock taken",
      "healthz answered 200",
      "lock released",
      "write answered",
    ]);
    expect(pendingWhenReleased).toBe(true);
    expect(write.status).toBe(201);
    const login = await client.call("POST", "/v1/auth/login", {
      username: "locked",
      password: "locked password",
    });
    expect(login.status).toBe(200);
  });

  it("answers 503 DATABASE_UNAVAILABLE with Retry-After once the wait is spent, healthz meanwhile", async () => {
    const { client, events, writing } = await lockWhileWriting({ SQLITE_LOCK_WAIT_MS: "1500" });
    const write = await writing;
    events.push("lock still held");
    lock?.exec("COMMIT");

    expect(events).toEqual([
      "lock taken",
      "healthz answered 200",
      "write answered",
      "lock still held",
    ]);
    expect(write.status).toBe(503);
    expect(write.body.error?.code).toBe("DATABASE_UNAVAILABLE");
    expect(write.headers.get("retry-after")).toBe("2");
    // Nothing half-done: the user was not created, and registering again works now.
    const again = await client.call("POST", "/v1/auth/register", {
      username: "locked",
      password: "locked password",
    });
    expect(again.status).toBe(201);
  });

  it("answers /readyz 503 with the database down while the lock is held", async () => {
    server = await startTestApp({ SQLITE_LOCK_WAIT_MS: "30000" });
    const client = createHttpClient(server.url);
    expect((await client.call("GET", "/readyz")).status).toBe(200);
    lock = new SqliteDatabase(join(server.dataDir, "osprey.db"));
    lock.exec("BEGIN IMMEDIATE");
    const ready = await client.call("GET", "/readyz");
    lock.exec("COMMIT");
    expect(ready.status).toBe(503);
    expect(ready.body.error).toMatchObject({
      code: "NOT_READY",
      details: { checks: { database: "down", kv: "ok" } },
    });
    expect((await client.call("GET", "/readyz")).status).toBe(200);
  });
});
