import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpClient } from "../support/http-client.js";
import { startTestApp } from "../support/test-app.js";

const postgresUrl = process.env.TEST_POSTGRES_URL;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs one statement on the server's maintenance connection (never on the shared `test` db's settings). */
async function admin(statement: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    return await client.query(statement, values);
  } finally {
    await client.end();
  }
}

describe.skipIf(!postgresUrl)(
  `PostgreSQL switched read-only under a running server${postgresUrl ? "" : " — skipped: set TEST_POSTGRES_URL"}`,
  () => {
    // A database of this test's own: ALTER DATABASE and terminating backends touch nothing shared.
    const name = `osprey_ro_${process.pid}_${randomBytes(4).toString("hex")}`;
    let server: Awaited<ReturnType<typeof startTestApp>> | undefined;

    beforeAll(async () => {
      await admin(`create database ${name}`);
      const url = new URL(postgresUrl ?? "");
      url.pathname = `/${name}`;
      server = await startTestApp({ DATABASE_URL: url.toString() });
    });
    afterAll(async () => {
      await server?.close();
      await admin(`drop database if exists ${name} with (force)`);
    });

    it("answers 503 DATABASE_UNAVAILABLE to register, login and wallet creation, and /readyz 503", async () => {
      if (!server) throw new Error("no server");
      const client = createHttpClient(server.url);
      const auth = await client.signUp("readonly");
      expect((await client.call("GET", "/readyz")).status).toBe(200);

      await admin(`alter database ${name} set default_transaction_read_only = on`);
      await admin(
        "select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()",
        [name],
      );
      // Reads still work once the pool has replaced the connections that were cut.
      let read = 0;
      for (let attempt = 0; attempt < 50 && read !== 200; attempt += 1) {
        read = (await client.call("GET", "/v1/wallets", undefined, auth)).status;
        if (read !== 200) await sleep(100);
      }
      expect(read).toBe(200);

      const attempts = [
        ["register", "/v1/auth/register", { username: "newcomer", password: "newcomer password" }],
        ["login", "/v1/auth/login", { username: "readonly", password: "readonly password" }],
        ["wallet", "/v1/wallets", { password: "a long wallet password 42" }],
      ] as const;
      for (const [what, path, body] of attempts) {
        const refused = await client.call("POST", path, body, auth);
        expect(refused.status, what).toBe(503);
        expect(refused.body.error?.code, what).toBe("DATABASE_UNAVAILABLE");
        expect(refused.headers.get("retry-after"), what).toBe("2");
      }

      const ready = await client.call("GET", "/readyz");
      expect(ready.status).toBe(503);
      expect(ready.body.error).toMatchObject({
        code: "NOT_READY",
        details: {
          checks: { database: "down", kv: "ok" },
          reasons: { database: "DATABASE_UNAVAILABLE" },
        },
      });
      // The server's log says why (read-only), the client's answer does not.
      expect(server.logs.text()).toContain("25006");
      expect(ready.text).not.toContain("25006");
    }, 60_000);
  },
);
