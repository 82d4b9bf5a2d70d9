import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";

/**
 * The web terminal's session: the login token in an httpOnly cookie that page scripts cannot
 * read, and a CSRF token derived from it that the page echoes in `X-CSRF-Token` on writes.
 */
export const SESSION_COOKIE = "osprey_session";
export const CSRF_COOKIE = "osprey_csrf";
export const TRADING_COOKIE = "osprey_trading";
export const CSRF_HEADER = "x-csrf-token";

// RFC 6265: a cookie name is an HTTP token; a value is cookie-octets, optionally in quotes.
const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const COOKIE_VALUE = /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*$/;
const MAX_COOKIE_HEADER = 8192;
const MAX_VALUE = 512;

/**
 * The request's cookies by name; malformed pairs are skipped, the first of a repeated name wins
 * (browsers send the most specific path first). Nothing is URI-decoded: our values need none.
 */
export function parseCookies(header: string | undefined): ReadonlyMap<string, string> {
  const cookies = new Map<string, string>();
  if (!header || header.length > MAX_COOKIE_HEADER) return cookies;
  for (const pair of header.split(";")) {
    const at = pair.indexOf("=");
    if (at <= 0) continue;
    const name = pair.slice(0, at).trim();
    let value = pair.slice(at + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"'))
      value = value.slice(1, -1);
    if (!COOKIE_NAME.test(name) || !COOKIE_VALUE.test(value) || value.length > MAX_VALUE) continue;
    if (!cookies.has(name)) cookies.set(name, value);
  }
  return cookies;
}

/** One cookie of the request, if present and well formed. */
export function getCookie(request: FastifyRequest, name: string): string | undefined {
  const value = parseCookies(request.headers.cookie).get(name);
  return value ? value : undefined;
}

/** The CSRF token of a login token: public to the page, useless without the cookie beside it. */
export function deriveCsrfToken(loginToken: string): string {
  return createHash("sha256").update(`osprey-csrf:${loginToken}`).digest("base64url");
}

/** Whether `sent` is the CSRF token of this login token, compared in constant time. */
export function isCsrfTokenOf(loginToken: string, sent: unknown): boolean {
  if (typeof sent !== "string" || sent.length > 128) return false;
  const expected = Buffer.from(deriveCsrfToken(loginToken));
  const given = Buffer.from(sent);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Methods that change nothing, so need no CSRF token. */
export function isSafeMethod(method: string): boolean {
  return method === "GET" || method === "HEAD" || method === "OPTIONS";
}

interface CookieOptions {
  readonly httpOnly: boolean;
  /** Absent: a browser-session cookie; 0: delete it now. */
  readonly expiresAt?: number;
}

function serializeCookie(
  request: FastifyRequest,
  name: string,
  value: string,
  options: CookieOptions,
): string {
  const parts = [`${name}=${value}`, "Path=/", "SameSite=Strict"];
  if (options.httpOnly) parts.push("HttpOnly");
  // Behind a TLS-terminating proxy this needs TRUST_PROXY so that X-Forwarded-Proto counts.
  if (request.protocol === "https") parts.push("Secure");
  if (options.expiresAt !== undefined) {
    if (options.expiresAt === 0) parts.push("Max-Age=0");
    else parts.push(`Expires=${new Date(options.expiresAt).toUTCString()}`);
  }
  return parts.join("; ");
}

function appendCookies(reply: FastifyReply, cookies: readonly string[]): void {
  const existing = reply.getHeader("set-cookie");
  const before = existing === undefined ? [] : [existing].flat().map(String);
  reply.header("set-cookie", [...before, ...cookies]);
}

/** Sets the login cookie and the readable CSRF cookie; returns the CSRF token for the body. */
export function setLoginCookies(
  request: FastifyRequest,
  reply: FastifyReply,
  loginToken: string,
  expiresAt: number,
): string {
  const csrfToken = deriveCsrfToken(loginToken);
  appendCookies(reply, [
    serializeCookie(request, SESSION_COOKIE, loginToken, { httpOnly: true, expiresAt }),
    serializeCookie(request, CSRF_COOKIE, csrfToken, { httpOnly: false, expiresAt }),
  ]);
  return csrfToken;
}

/** Keeps a trading session's token where page scripts cannot read it. */
export function setTradingCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  sessionToken: string,
  absoluteExpiresAt: number,
): void {
  appendCookies(reply, [
    serializeCookie(request, TRADING_COOKIE, sessionToken, {
      httpOnly: true,
      expiresAt: absoluteExpiresAt,
    }),
  ]);
}

export function clearTradingCookie(request: FastifyRequest, reply: FastifyReply): void {
  appendCookies(reply, [
    serializeCookie(request, TRADING_COOKIE, "", { httpOnly: true, expiresAt: 0 }),
  ]);
}

export function clearAllCookies(request: FastifyRequest, reply: FastifyReply): void {
  appendCookies(reply, [
    serializeCookie(request, SESSION_COOKIE, "", { httpOnly: true, expiresAt: 0 }),
    serializeCookie(request, CSRF_COOKIE, "", { httpOnly: false, expiresAt: 0 }),
    serializeCookie(request, TRADING_COOKIE, "", { httpOnly: true, expiresAt: 0 }),
  ]);
}
