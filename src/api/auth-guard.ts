import type { FastifyRequest } from "fastify";
import type { AccountService, Principal } from "../accounts/account-service.js";
import { isOspreyError, OspreyError } from "../core/osprey-error.js";
import {
  CSRF_HEADER,
  getCookie,
  isCsrfTokenOf,
  isSafeMethod,
  SESSION_COOKIE,
} from "./web-session.js";

/** The bearer credential of a request: `Authorization: Bearer …`, or `X-API-Key` for scripts. */
export function getCredential(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === "string") {
    const match = /^Bearer\s+(\S{1,512})$/i.exec(header.trim());
    if (!match?.[1])
      throw new OspreyError("UNAUTHENTICATED", "Authorization must be `Bearer <token>`.");
    return match[1];
  }
  const apiKey = request.headers["x-api-key"];
  return typeof apiKey === "string" && apiKey.length <= 512 ? apiKey : undefined;
}

export type AuthGuard = (request: FastifyRequest) => Promise<void>;

/**
 * The web terminal's login cookie, when the request carries no header credential. A write must
 * then echo the CSRF token in X-CSRF-Token (403 CSRF_FAILED): another site's page can make the
 * browser send the cookie, but cannot read the token.
 */
function getCookieCredential(request: FastifyRequest): string | undefined {
  const token = getCookie(request, SESSION_COOKIE);
  if (!token) return undefined;
  if (!isSafeMethod(request.method) && !isCsrfTokenOf(token, request.headers[CSRF_HEADER]))
    throw new OspreyError("CSRF_FAILED");
  return token;
}

/** A preHandler that resolves the caller or answers 401; routes then read `request.principal`. */
export function createAuthGuard(accounts: AccountService): AuthGuard {
  return async (request) => {
    const header = getCredential(request);
    const credential = header ?? getCookieCredential(request);
    if (!credential)
      throw new OspreyError("UNAUTHENTICATED", "Log in and send `Authorization: Bearer <token>`.");
    let principal: Principal;
    try {
      principal = await accounts.authenticate(credential);
    } catch (error) {
      // Authentication reads only the database: anything but a refusal means it is unreachable.
      if (isOspreyError(error)) throw error;
      throw new OspreyError("DATABASE_UNAVAILABLE", undefined, {}, { cause: error });
    }
    const viaCookie = header === undefined;
    // Only a login sets the cookie; an API key placed there by hand is not a web session.
    if (viaCookie && principal.via !== "access-token")
      throw new OspreyError("UNAUTHENTICATED", "The session cookie holds no login token.");
    request.principal = principal;
    request.viaCookie = viaCookie;
  };
}

/** The caller of a guarded route; a bug if the guard did not run. */
export function getPrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw new OspreyError("UNAUTHENTICATED");
  return request.principal;
}
