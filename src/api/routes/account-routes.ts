import { z } from "zod";
import type { AccountService } from "../../accounts/account-service.js";
import { OspreyError } from "../../core/osprey-error.js";
import type { RateLimit, RateLimiter } from "../../kv/rate-limiter.js";
import type { RouteModule } from "../api-types.js";
import { type AuthGuard, getPrincipal } from "../auth-guard.js";

export interface AccountRoutesOptions {
  readonly accounts: AccountService;
  readonly guard: AuthGuard;
  readonly rateLimiter: RateLimiter;
  readonly limits?: { readonly perIp?: RateLimit; readonly perUser?: RateLimit };
}

const credentials = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(1024),
});
const errorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
const iso = (ms: number) => new Date(ms).toISOString();

/** Register, log in and out, and manage API keys; every route is rate-limited per IP and per user. */
export function createAccountRoutes(options: AccountRoutesOptions): RouteModule {
  const { accounts, guard, rateLimiter } = options;
  const perIp = options.limits?.perIp ?? { limit: 30, windowMs: 60_000 };
  const perUser = options.limits?.perUser ?? { limit: 60, windowMs: 60_000 };
  const limitIp = (ip: string) => rateLimiter.hit(`account:ip:${ip}`, perIp);
  const limitUser = (userId: string) => rateLimiter.hit(`account:user:${userId}`, perUser);

  return (app) => {
    app.post(
      "/v1/auth/register",
      {
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
        await limitIp(request.ip);
        const result = await accounts.register(request.body);
        return reply.status(201).send(result);
      },
    );

    app.post(
      "/v1/auth/login",
      {
        schema: {
          tags: ["accounts"],
          summary: "Log in: returns a bearer token",
          body: credentials,
          response: {
            200: z.object({ token: z.string(), expiresAt: z.string() }),
            401: errorSchema,
            429: errorSchema,
          },
        },
      },
      async (request) => {
        await limitIp(request.ip);
        await rateLimiter.hit(`account:login:${request.body.username.toLowerCase()}`, perIp);
        const { token, expiresAt } = await accounts.login(request.body);
        return { token, expiresAt: iso(expiresAt) };
      },
    );

    const guarded = async (request: Parameters<AuthGuard>[0]) => {
      await limitIp(request.ip);
      await guard(request);
      await limitUser(getPrincipal(request).userId);
    };
    const security = [{ bearer: [] }];

    app.post(
      "/v1/auth/logout",
      {
        preHandler: guarded,
        schema: { tags: ["accounts"], summary: "Revoke this access token", security },
      },
      async (request, reply) => {
        await accounts.logout(getPrincipal(request));
        return reply.status(204).send();
      },
    );

    app.post(
      "/v1/api-keys",
      {
        preHandler: guarded,
        schema: {
          tags: ["accounts"],
          summary: "Create an API key for scripts (the key is shown once)",
          security,
          body: z.object({ name: z.string().trim().min(1).max(64).default("api key") }).optional(),
          response: { 201: z.object({ id: z.string(), key: z.string(), name: z.string() }) },
        },
      },
      async (request, reply) => {
        const principal = getPrincipal(request);
        if (principal.via === "api-key")
          throw new OspreyError("FORBIDDEN", "API keys are managed after logging in.");
        const created = await accounts.createApiKey(
          principal.userId,
          request.body?.name ?? "api key",
        );
        return reply.status(201).send(created);
      },
    );

    app.get(
      "/v1/api-keys",
      {
        preHandler: guarded,
        schema: { tags: ["accounts"], summary: "List API keys (without the keys)", security },
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
        preHandler: guarded,
        schema: {
          tags: ["accounts"],
          summary: "Revoke an API key",
          security,
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
