import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { Registry } from "prom-client";
import type { Principal } from "../accounts/account-service.js";
import type { Config } from "../config/config-schema.js";
import type { Clock } from "../core/clock.js";
import type { KvStore } from "../kv/kv-store.js";
import type { Database } from "../store/database.js";

export type ZodApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** What the HTTP layer is given; it builds nothing itself. */
export interface ApiDependencies {
  readonly config: Config;
  readonly database: Database;
  readonly kv: KvStore;
  readonly registry: Registry;
  readonly clock: Clock;
  /** Extra readiness checks (the chain, the swap API) added by later components. */
  readonly readinessProbes?: Readonly<Record<string, () => Promise<void>>>;
}

/** A group of routes; each module registers its own on the app. */
export type RouteModule = (app: ZodApp, deps: ApiDependencies) => void;

declare module "fastify" {
  interface FastifyRequest {
    /** Set by the auth guard on routes that require a user. */
    principal: Principal | null;
    /** True when the auth guard found the caller by the web session cookie (web-session.ts). */
    viaCookie: boolean;
  }
}
