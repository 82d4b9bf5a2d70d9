import { z } from "zod";
import type { AccountService } from "../../accounts/account-service.js";
import { API_KEY_SCOPES, DEFAULT_API_KEY_SCOPE } from "../../accounts/api-key-scope.js";
import type { RateLimit } from "../../kv/rate-limiter.js";
import type { RouteModule } from "../api-types.js";
import { getPrincipal } from "../auth-guard.js";
import { getAddressKey } from "../client-address.js";
import type { RequireAccess } from "../route-access.js";
import { clearAllCookies, setLoginCookies } from "../web-session.js";

export interface AccountRoutesOptions {
  readonly accounts: AccountService;
  readonly requireAccess: RequireAccess;
  readonly limits?: { readonly perIp?: RateLimit; readonly perUser?: RateLimit };
}

const credentials = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(1024),
});
const errorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
const scope = z.enum(API_KEY_SCOPES);
const profile = z.object({ id: z.string(), username: z.string(), role: z.enum(["user", "admin"]) });
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Register, log in and out, and manage API keys. Register, login and key management are limited
 * per address (and per user); logout never is. Failed logins are throttled per username and
 * address by the account service (src/accounts/README.md).
 */
export function createAccountRoutes(options: AccountRoutesOptions): RouteModule {
  const { accounts, requireAccess } = options;
  const perIp = options.limits?.perIp ?? { limit: 30, windowMs: 60_000 };
  const perUser = options.limits?.perUser ?? { limit: 60, windowMs: 60_000 };
  const limits = { bucket: "account", perAddress: perIp, perUser };
  const anyone = requireAccess("public", limits);
  const loginOnly = requireAccess("login", limits);

  return (app) => {
    app.post(
      "/v1/auth/register",
      {
        onRequest: anyone,
        schema: {
          tags: ["accounts"],
          summary: "Create an account",
          body: credentials,
          response: {
            201: z.object({ userId: z.string() }),
            400: errorSchema,
            409: errorSchema,
            429: errorSchema,
          },
        },
      },
      async (request, reply) => {
        const result = await accounts.register(request.body);
        return reply.status(201).send(result);
      },
    );

    app.post(
      "/v1/auth/login",
      {
        onRequest: anyone,
        schema: {
          tags: ["accounts"],
          summary: "Log in: returns a bearer token, or sets the web session cookie",
          description:
            'session "token" (default) answers {token, expiresAt}. session "cookie" (the web terminal) sets the token as an httpOnly SameSite=Strict cookie osprey_session and a readable cookie osprey_csrf, and answers {expiresAt, csrfToken, user} without the token; requests authenticated by that cookie must send X-CSRF-Token (the csrfToken) on every method but GET/HEAD/OPTIONS, else 403 CSRF_FAILED.\n\nFailed logins are counted per username and client address: an address that keeps failing for a username is refused for a while (429 RATE_LIMITED with Retry-After), and once a username has many failures, addresses that failed for it wait a growing backoff. An address with no failures for the username can always log in.',
          body: credentials.extend({ session: z.enum(["token", "cookie"]).default("token") }),
          response: {
            200: z.union([
              z.object({ token: z.string(), expiresAt: z.string() }),
              z.object({ expiresAt: z.string(), csrfToken: z.string(), user: profile }),
            ]),
            401: errorSchema,
            429: errorSchema,
          },
        },
      },
      async (request, reply) => {
        const { session, ...given } = request.body;
        const { token, expiresAt, userId } = await accounts.login({
          ...given,
          address: getAddressKey(request.ip),
        });
        if (session !== "cookie") return { token, expiresAt: iso(expiresAt) };
        const csrfToken = setLoginCookies(request, reply, token, expiresAt);
        return { expiresAt: iso(expiresAt), csrfToken, user: await accounts.getProfile(userId) };
      },
    );

    app.get(
      "/v1/me",
      {
        // Asked on every page load: counted per user only, apart from logins and sign-ups.
        onRequest: requireAccess("read", { bucket: "account:me", perUser }),
        schema: {
          tags: ["accounts"],
          summary: "Who you are: id, username and role",
          response: { 200: profile },
        },
      },
      async (request) => accounts.getProfile(getPrincipal(request).userId),
    );

    app.post(
      "/v1/auth/logout",
      {
        // Never rate-limited: ending a session must work however busy the address has been.
        onRequest: requireAccess("login"),
        schema: {
          tags: ["accounts"],
          summary: "Log out: revoke this login token and end the trading sessions it opened",
          description:
            "Every trading session unlocked with this token (POST /v1/wallets/:id/unlock) ends with it; its X-Trading-Session tokens are refused afterwards. A web session's cookies (osprey_session, osprey_csrf, osprey_trading) are cleared.",
        },
      },
      async (request, reply) => {
        await accounts.logout(getPrincipal(request));
        if (request.viaCookie) clearAllCookies(request, reply);
        return reply.status(204).send();
      },
    );

    app.post(
      "/v1/api-keys",
      {
        onRequest: loginOnly,
        schema: {
          tags: ["accounts"],
          summary: "Create an API key for scripts (the key is shown once)",
          description: `scope: read (every read), trade (read, unlock a wallet, place orders, end the current session) or full (trade, and create, import, rename and deactivate wallets, end all sessions); default ${DEFAULT_API_KEY_SCOPE}. No key can export a wallet's key, change a wallet password or manage API keys: those need a login token.`,
          body: z
            .object({
              name: z.string().trim().min(1).max(64).default("api key"),
              scope: scope.default(DEFAULT_API_KEY_SCOPE),
            })
            .optional(),
          response: {
            201: z.object({ id: z.string(), key: z.string(), name: z.string(), scope }),
          },
        },
      },
      async (request, reply) => {
        const created = await accounts.createApiKey(
          getPrincipal(request).userId,
          request.body?.name ?? "api key",
          request.body?.scope ?? DEFAULT_API_KEY_SCOPE,
        );
        return reply.status(201).send(created);
      },
    );

    app.get(
      "/v1/api-keys",
      {
        onRequest: loginOnly,
        schema: {
          tags: ["accounts"],
          summary: "List API keys with their scopes (without the keys)",
        },
      },
      async (request) => {
        const keys = await accounts.listApiKeys(getPrincipal(request).userId);
        return keys.map((key) => ({
          ...key,
          createdAt: iso(key.createdAt),
          lastUsedAt: key.lastUsedAt === null ? null : iso(key.lastUsedAt),
          revokedAt: key.revokedAt === null ? null : iso(key.revokedAt),
        }));
      },
    );

    app.delete(
      "/v1/api-keys/:id",
      {
        onRequest: loginOnly,
        schema: {
          tags: ["accounts"],
          summary: "Revoke an API key and end the trading sessions it opened",
          params: z.object({ id: z.string().max(64) }),
        },
      },
      async (request, reply) => {
        await accounts.revokeApiKey(getPrincipal(request).userId, request.params.id);
        return reply.status(204).send();
      },
    );
  };
}
