import type { FastifyRequest, RouteOptions } from "fastify";
import { assertCredentialAllows, type CredentialAccess } from "../accounts/api-key-scope.js";
import type { RateLimit, RateLimiter } from "../kv/rate-limiter.js";
import { type AuthGuard, getPrincipal } from "./auth-guard.js";
import { getAddressKey } from "./client-address.js";

/** What a route needs: nothing, an API key of a scope (or a login token), or a login token. */
export type RouteAccess = "public" | CredentialAccess;

export interface AccessLimits {
  /** Names the counters: `<bucket>:ip:<address>` and `<bucket>:user:<userId>`. */
  readonly bucket: string;
  /** Requests per client address, counted before authentication. */
  readonly perAddress?: RateLimit;
  /** Requests per user, counted once the caller is known and allowed. */
  readonly perUser?: RateLimit;
}

/** An `onRequest` hook: it runs before the body is read, so an anonymous body is never parsed. */
export type AccessHook = (request: FastifyRequest) => Promise<void>;

/** Builds a route's access hook: `onRequest: requireAccess("trade", limits)`. */
export type RequireAccess = (access: RouteAccess, limits?: AccessLimits) => AccessHook;

// The access each hook enforces, so the server can refuse a /v1 route that declares none.
const declared = new WeakMap<object, RouteAccess>();

function declare(hook: AccessHook, access: RouteAccess): AccessHook {
  declared.set(hook, access);
  return hook;
}

/**
 * The one way a route says who may call it: the per-address limit, then the credential, then
 * its scope (INSUFFICIENT_SCOPE, LOGIN_REQUIRED), then the per-user limit.
 */
export function createRequireAccess(deps: {
  readonly guard: AuthGuard;
  readonly rateLimiter: RateLimiter;
}): RequireAccess {
  const { guard, rateLimiter } = deps;
  return (access, limits) =>
    declare(async (request) => {
      if (limits?.perAddress)
        await rateLimiter.hit(
          `${limits.bucket}:ip:${getAddressKey(request.ip)}`,
          limits.perAddress,
        );
      if (access === "public") return;
      await guard(request);
      const principal = getPrincipal(request);
      assertCredentialAllows(principal, access);
      if (limits?.perUser)
        await rateLimiter.hit(`${limits.bucket}:user:${principal.userId}`, limits.perUser);
    }, access);
}

/** A route anyone may call, with no limit of its own. */
export const PUBLIC_ACCESS: AccessHook = declare(async () => {}, "public");

/** The access a route declared through one of these hooks in its onRequest, if any. */
export function getDeclaredAccess(route: Pick<RouteOptions, "onRequest">): RouteAccess | undefined {
  const hooks = route.onRequest === undefined ? [] : [route.onRequest].flat();
  const found = hooks.map((hook) => declared.get(hook)).filter((access) => access !== undefined);
  return found.length === 1 ? found[0] : undefined;
}

/** One line for the route's OpenAPI description. */
export function describeAccess(access: RouteAccess): string {
  switch (access) {
    case "public":
      return "Access: anyone.";
    case "login":
      return "Access: a login token only (POST /v1/auth/login); an API key gets 403 LOGIN_REQUIRED.";
    case "read":
      return "Access: a login token, or an API key of any scope (read, trade, full).";
    case "trade":
      return "Access: a login token, or an API key with scope trade or full (else 403 INSUFFICIENT_SCOPE).";
    case "full":
      return "Access: a login token, or an API key with scope full (else 403 INSUFFICIENT_SCOPE).";
    default:
      return access satisfies never;
  }
}
