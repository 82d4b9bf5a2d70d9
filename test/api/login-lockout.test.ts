import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HttpResult } from "../support/http-client.js";
import { createHttpClientFrom } from "../support/http-from.js";
import { startTestApp } from "../support/test-app.js";

const OWNER = { username: "victim", password: "the owner's real password" };
const bearer = (token: unknown) => ({ authorization: `Bearer ${String(token)}` });

/** Wrong passwords from one address until the server refuses; returns every answer. */
async function guessUntilRefused(client: ReturnType<typeof createHttpClientFrom>, tries = 20) {
  const answers: HttpResult[] = [];
  for (let i = 0; i < tries; i++) {
    const answer = await client.call("POST", "/v1/auth/login", {
      username: OWNER.username,
      password: `guess ${client.address} ${i}`,
    });
    answers.push(answer);
    if (answer.status === 429) break;
  }
  return answers;
}

describe("login throttling from many addresses never locks the owner out", () => {
  let server: Awaited<ReturnType<typeof startTestApp>>;
  const from = (address: string) => createHttpClientFrom(server.url, address);

  beforeAll(async () => {
    server = await startTestApp();
    const registered = await from("127.0.0.1").call("POST", "/v1/auth/register", OWNER);
    expect(registered.status).toBe(201);
  });
  afterAll(() => server.close());

  it("refuses the attackers, lets the owner in from a clean address, and logout still works", async () => {
    const attackers = [11, 12, 13, 14, 15, 16].map((n) => from(`127.0.0.${n}`));
    for (const attacker of attackers) {
      const answers = await guessUntilRefused(attacker);
      const last = answers.at(-1);
      expect(last?.status, `${attacker.address} was never refused`).toBe(429);
      expect(last?.body.error?.code).toBe("RATE_LIMITED");
      expect(Number(last?.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(answers.slice(0, -1).every((answer) => answer.status === 401)).toBe(true);
    }

    // The owner, from an address that never failed for this username, gets in.
    const owner = from("127.0.0.50");
    const login = await owner.call("POST", "/v1/auth/login", OWNER);
    expect(login.status).toBe(200);

    // An attacker's address stays refused, even with the right password.
    const attacker = attackers[0] ?? from("127.0.0.11");
    const refused = await attacker.call("POST", "/v1/auth/login", OWNER);
    expect(refused.status).toBe(429);
    expect(refused.body.error?.code).toBe("RATE_LIMITED");

    // Spend that address's whole request allowance too: registering is refused there now…
    let limited: HttpResult | undefined;
    for (let i = 0; i < 40; i++) {
      limited = await attacker.call("POST", "/v1/auth/register", {
        username: `flood-${i}`,
        password: "long enough password",
      });
      if (limited.status === 429) break;
    }
    expect(limited?.status).toBe(429);
    // …and logging out from it still works, and ends the token.
    const logout = await attacker.call(
      "POST",
      "/v1/auth/logout",
      undefined,
      bearer(login.body.token),
    );
    expect(logout.status).toBe(204);
    const after = await owner.call("GET", "/v1/wallets", undefined, bearer(login.body.token));
    expect(after.status).toBe(401);
    expect(after.body.error?.code).toBe("UNAUTHENTICATED");
  });

  it("still authenticates a logout: no token, or a spent one, is 401", async () => {
    const client = from("127.0.0.60");
    expect((await client.call("POST", "/v1/auth/logout")).status).toBe(401);
    expect(
      (await client.call("POST", "/v1/auth/logout", undefined, bearer("osa_not-a-token"))).status,
    ).toBe(401);
  });
});

const redisUrl = process.env.TEST_REDIS_URL;

describe.skipIf(!redisUrl)("login throttling shared by two instances on one Redis", () => {
  const env = { REDIS_URL: redisUrl ?? "", REDIS_PREFIX: `osprey-test:${randomUUID()}:` };
  let first: Awaited<ReturnType<typeof startTestApp>>;
  let second: Awaited<ReturnType<typeof startTestApp>>;

  beforeAll(async () => {
    first = await startTestApp(env);
    second = await startTestApp(env);
    // Each test app has its own SQLite file; only the kv store is shared.
    for (const app of [first, second])
      await createHttpClientFrom(app.url, "127.0.0.1").call("POST", "/v1/auth/register", OWNER);
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
  });

  it("counts failures made on one instance on the other", async () => {
    const answers = await guessUntilRefused(createHttpClientFrom(first.url, "127.0.0.21"));
    expect(answers.at(-1)?.status).toBe(429);
    const elsewhere = await createHttpClientFrom(second.url, "127.0.0.21").call(
      "POST",
      "/v1/auth/login",
      OWNER,
    );
    expect(elsewhere.status).toBe(429);
    const clean = await createHttpClientFrom(second.url, "127.0.0.22").call(
      "POST",
      "/v1/auth/login",
      OWNER,
    );
    expect(clean.status).toBe(200);
  });
});
