import { OspreyError } from "../core/osprey-error.js";

/** What an API key may do, each including the ones before it. */
export const API_KEY_SCOPES = ["read", "trade", "full"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** Least privilege: a key asked for without a scope can only read. */
export const DEFAULT_API_KEY_SCOPE: ApiKeyScope = "read";

/** What a route needs: a scope (a login token has them all), or a login token itself. */
export type CredentialAccess = ApiKeyScope | "login";

export function isApiKeyScope(value: unknown): value is ApiKeyScope {
  return typeof value === "string" && (API_KEY_SCOPES as readonly string[]).includes(value);
}

/** True when a key of scope `held` may do what `required` allows. */
export function isScopeEnough(held: ApiKeyScope, required: ApiKeyScope): boolean {
  return API_KEY_SCOPES.indexOf(held) >= API_KEY_SCOPES.indexOf(required);
}

/**
 * Throws LOGIN_REQUIRED when an API key calls a login-only route, INSUFFICIENT_SCOPE (with the
 * scope required and the key's) when its scope is too narrow; a login token passes everything.
 */
export function assertCredentialAllows(
  credential:
    | { readonly via: "access-token" }
    | { readonly via: "api-key"; readonly scope: ApiKeyScope },
  required: CredentialAccess,
): void {
  if (credential.via === "access-token") return;
  if (required === "login") throw new OspreyError("LOGIN_REQUIRED");
  if (!isScopeEnough(credential.scope, required)) {
    throw new OspreyError(
      "INSUFFICIENT_SCOPE",
      `This needs an API key with scope "${required}" or wider (this key's scope is "${credential.scope}").`,
      { required, scope: credential.scope },
    );
  }
}
