import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deriveCsrfToken, parseCookies } from "../../src/api/web-session.js";
import { createCookieClient } from "../support/cookie-client.js";
import { createHttpClient } from "../support/http-client.js";
import { startTestApp } from "../support/test-app.js";
import { useTradingApp } from "../trading/trading-setup.js";

const WALLET_PASSWORD = "wallet password";

/** The Set-Cookie line of one cookie, split into its value and lower-cased attributes. */
function cookieLine(lines: readonly string[], name: string) {
  const line = lines.find((candidate) => candidate.startsWith(`${name}=`));
  if (!line) throw new Error(`no Set-Cookie for ${name} in ${JSON.stringify(lines)}`);
  const [pair = "", ...attributes] = line.split(";").map((part) => part.trim());
  return { value: pair.slice(name.length + 1), attributes: attributes.map((a) => a.toLowerCase()) };
}

describe("parseCookies", () => {
  it("reads well-formed pairs, keeps the first of a repeated name, skips the malformed", () => {
    const cookies = parseCookies('a=1; b="two"; a=3; bad name=x; =y; c=with space; d=ok');
    expect([...cookies]).toEqual([
      ["a", "1"],
      ["b", "two"],
      ["d", "ok"],
    ]);
    expect(parseCookies(undefined).size).toBe(0);
    expect(parseCookies(`a=${"x".repeat(600)}`).size).toBe(0);
  });
});

describe("the web session: login cookie and CSRF token", () => {
  const env = useTradingApp();

  it("sets an httpOnly SameSite=Strict login cookie and a readable CSRF cookie, no token in the body", async () => {
    const web = createCookieClient(env.server.url);
    const login = await web.logIn("cookie-attrs");
    const session = cookieLine(web.lastSetCookies(), "osprey_session");
    const csrf = cookieLine(web.lastSetCookies(), "osprey_csrf");
    expect(session.attributes).toEqual(
      expect.arrayContaining(["path=/", "samesite=strict", "httponly"]),
    );
    expect(session.attributes.some((a) => a.startsWith("expires="))).toBe(true);
    // Plain http here: a Secure cookie would never come back.
    expect(session.attributes).not.toContain("secure");
    expect(csrf.attributes).toEqual(expect.arrayContaining(["path=/", "samesite=strict"]));
    expect(csrf.attributes).not.toContain("httponly");
    expect(csrf.value).toBe(deriveCsrfToken(session.value));
    expect(login.body).toEqual({
      expiresAt: expect.any(String),
      csrfToken: csrf.value,
      user: { id: expect.any(String), username: "cookie-attrs", role: "user" },
    });
    expect(login.text).not.toContain(session.value);

    const me = await web.call("GET", "/v1/me");
    expect(me.status).toBe(200);
    expect(me.body).toEqual(login.body.user);
    // The token login is unchanged and sets no cookie.
    const bearer = await createHttpClient(env.server.url).call("POST", "/v1/auth/login", {
      username: "cookie-attrs",
      password: "cookie-attrs password",
    });
    expect(Object.keys(bearer.body).sort()).toEqual(["expiresAt", "token"]);
    expect(bearer.headers.getSetCookie()).toEqual([]);
  });

  it("reads without the CSRF header, writes only with the right one", async () => {
    const web = createCookieClient(env.server.url);
    await web.logIn("cookie-writer");
    const wallets = async () =>
      (await web.call("GET", "/v1/wallets", undefined, {}, { csrf: false })).body;
    expect(await wallets()).toEqual([]);

    const body = { password: WALLET_PASSWORD };
    const missing = await web.call("POST", "/v1/wallets", body, {}, { csrf: false });
    expect(missing.status).toBe(403);
    expect(missing.body.error?.code).toBe("CSRF_FAILED");
    const wrong = await web.call("POST", "/v1/wallets", body, { "x-csrf-token": "A".repeat(43) });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error?.code).toBe("CSRF_FAILED");
    // Another user's CSRF token is no better.
    const other = createCookieClient(env.server.url);
    await other.logIn("cookie-other");
    const crossed = await web.call("POST", "/v1/wallets", body, {
      "x-csrf-token": other.jar.get("osprey_csrf") ?? "",
    });
    expect(crossed.body.error?.code).toBe("CSRF_FAILED");
    expect(await wallets()).toEqual([]);

    const made = await web.call("POST", "/v1/wallets", body);
    expect(made.status, made.text).toBe(201);
    expect(await wallets()).toEqual([expect.objectContaining({ id: made.body.id })]);
  });

  it("leaves bearer clients as they were, and a header credential wins over a cookie", async () => {
    const http = createHttpClient(env.server.url);
    const bearer = await http.signUp("bearer-user");
    const web = createCookieClient(env.server.url);
    await web.logIn("cookie-bystander");
    // A bearer write needs no CSRF token, even with someone's cookie beside it.
    const made = await http.call(
      "POST",
      "/v1/wallets",
      { password: WALLET_PASSWORD },
      { ...bearer, cookie: web.cookieHeader() },
    );
    expect(made.status, made.text).toBe(201);
    const me = await http.call("GET", "/v1/me", undefined, {
      ...bearer,
      cookie: web.cookieHeader(),
    });
    expect(me.body.username).toBe("bearer-user");
    const anonymous = await http.call("GET", "/v1/me");
    expect(anonymous.status).toBe(401);
    const forged = await http.call("GET", "/v1/me", undefined, {
      cookie: "osprey_session=osa_forged",
    });
    expect(forged.status).toBe(401);
  });

  it("logs out: clears the three cookies and the token stops working", async () => {
    const web = createCookieClient(env.server.url);
    await web.logIn("cookie-leaver");
    const stolen = web.cookieHeader();
    const refused = await web.call("POST", "/v1/auth/logout", undefined, {}, { csrf: false });
    expect(refused.body.error?.code).toBe("CSRF_FAILED");
    const out = await web.call("POST", "/v1/auth/logout");
    expect(out.status).toBe(204);
    for (const name of ["osprey_session", "osprey_csrf", "osprey_trading"])
      expect(cookieLine(web.lastSetCookies(), name).attributes).toContain("max-age=0");
    expect(web.jar.size).toBe(0);
    const after = await createHttpClient(env.server.url).call("GET", "/v1/me", undefined, {
      cookie: stolen,
    });
    expect(after.status).toBe(401);
  });

  it("keeps the trading session in an httpOnly cookie that trades only the unlocked wallet of its user", async () => {
    const mint = env.sandbox.stack.ready.mints.BONKY ?? "";
    const web = createCookieClient(env.server.url);
    await web.logIn("cookie-trader");
    const first = await web.call("POST", "/v1/wallets", { password: WALLET_PASSWORD });
    const second = await web.call("POST", "/v1/wallets", { password: WALLET_PASSWORD });
    const walletId = String(first.body.id);
    env.sandbox.stack.sandbox.chain.airdrop(
      (await import("@solana/kit")).address(String(first.body.publicKey)),
      5_000_000_000n,
    );
    const unlocked = await web.call("POST", `/v1/wallets/${walletId}/unlock`, {
      password: WALLET_PASSWORD,
    });
    expect(unlocked.status, unlocked.text).toBe(200);
    const trading = cookieLine(web.lastSetCookies(), "osprey_trading");
    expect(trading.value).toBe(unlocked.body.sessionToken);
    expect(trading.attributes).toEqual(
      expect.arrayContaining(["path=/", "samesite=strict", "httponly"]),
    );

    const current = await web.call("GET", "/v1/sessions/current");
    expect(current.status, current.text).toBe(200);
    expect(current.body).toMatchObject({
      walletId,
      absoluteExpiresAt: unlocked.body.absoluteExpiresAt,
    });

    // Another user carrying this trading cookie (stolen or crossed) places nothing.
    const thief = createCookieClient(env.server.url);
    await thief.logIn("cookie-thief");
    thief.jar.set("osprey_trading", trading.value);
    const stolen = await thief.call(
      "POST",
      "/v1/orders",
      { side: "buy", mint, amountLamports: "100000000" },
      { "idempotency-key": "stolen-1" },
    );
    expect(stolen.status).toBe(401);
    expect(stolen.body.error?.code).toBe("SESSION_NOT_FOUND");
    expect((await thief.call("GET", "/v1/orders")).body.orders).toEqual([]);

    // A bearer request never falls back to the cookie: it must name its session.
    const bearer = await createHttpClient(env.server.url).signUp("cookie-trader");
    const noFallback = await createHttpClient(env.server.url).call(
      "GET",
      "/v1/sessions/current",
      undefined,
      { ...bearer, cookie: `osprey_trading=${trading.value}` },
    );
    expect(noFallback.body.error?.code).toBe("SESSION_NOT_FOUND");

    const placed = await web.call(
      "POST",
      "/v1/orders",
      { side: "buy", mint, amountLamports: "100000000" },
      { "idempotency-key": "cookie-buy-1" },
    );
    expect(placed.status, placed.text).toBe(202);
    expect(placed.body.walletId).toBe(walletId);
    expect(placed.body.walletId).not.toBe(second.body.id);

    const locked = await web.call("DELETE", "/v1/sessions/current");
    expect(locked.status).toBe(204);
    expect(cookieLine(web.lastSetCookies(), "osprey_trading").attributes).toContain("max-age=0");
    expect((await web.call("GET", "/v1/sessions/current")).body.error?.code).toBe(
      "SESSION_NOT_FOUND",
    );
  });
});

describe("the web session behind a TLS proxy", () => {
  let server: Awaited<ReturnType<typeof startTestApp>>;
  beforeAll(async () => {
    server = await startTestApp({ TRUST_PROXY: "loopback" });
  });
  afterAll(() => server.close());

  it("marks the cookies Secure when the request came over https", async () => {
    const web = createCookieClient(server.url);
    await web.call("POST", "/v1/auth/register", {
      username: "tls-user",
      password: "tls-user password",
    });
    await web.call(
      "POST",
      "/v1/auth/login",
      { username: "tls-user", password: "tls-user password", session: "cookie" },
      { "x-forwarded-proto": "https" },
    );
    expect(cookieLine(web.lastSetCookies(), "osprey_session").attributes).toContain("secure");
    expect(cookieLine(web.lastSetCookies(), "osprey_csrf").attributes).toContain("secure");
  });
});
