import type { FastifyRequest } from "fastify";
import type { AccountService, Principal } from "../accounts/account-service.js";
import { isOspreyError, OspreyError } from "../core/osprey-error.js";

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

/** A preHandler that resolves the caller or answers 401; routes then read `request.principal`. */
export function createAuthGuard(accounts: AccountService): AuthGuard {
  return async (request) => {
    const credential = getCredential(request);
    if (!credential)
      throw new OspreyError("UNAUTHENTICATED", "Log in and send `Authorization: Bearer <token>`.");
    try {
      request.principal = await accounts.authenticate(credential);
    } catch (error) {
      // Authentication reads only the database: anything but a refusal means it is unreachable.
      if (isOspreyError(error)) throw error;
      throw new OspreyError("DATABASE_UNAVAILABLE", undefined, {}, { cause: error });
    }
  };
}

/** The caller of a guarded route; a bug if the guard did not run. */
export function getPrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw new OspreyError("UNAUTHENTICATED");
  return request.principal;
}
