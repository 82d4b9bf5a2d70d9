import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { parseGrantLimits } from "../../automation/grants/grant-limits.js";
import type { GrantService } from "../../automation/grants/grant-service.js";
import {
  GRANT_STATUSES,
  type GrantRecord,
  toGrantJson,
} from "../../automation/grants/grant-types.js";
import { TRIGGER_TYPES } from "../../automation/triggers/trigger-types.js";
import type { Clock } from "../../core/clock.js";
import type { WalletId } from "../../core/ids.js";
import { OspreyError } from "../../core/osprey-error.js";
import type { RateLimit } from "../../kv/rate-limiter.js";
import type { Store } from "../../store/store.js";
import { MAX_PASSWORD_LENGTH } from "../../wallet/derive-wallet-key.js";
import type { RouteModule } from "../api-types.js";
import { getOwnWallet } from "../own-wallet.js";
import type { RequireAccess } from "../route-access.js";

export interface AutomationRoutesOptions {
  readonly grants: GrantService;
  readonly store: Pick<Store, "wallets">;
  readonly requireAccess: RequireAccess;
  readonly clock: Clock;
  readonly limit?: RateLimit;
}

const walletParams = z.object({ id: z.string().max(64) });

const grantSchema = z.object({
  id: z.string(),
  walletId: z.string(),
  status: z.enum(GRANT_STATUSES),
  maxOrderLamports: z.string(),
  maxDailyLamports: z.string(),
  spentTodayLamports: z.string().describe("what the grant's firings spent in the last 24 hours"),
  orderTypes: z.array(z.enum(TRIGGER_TYPES)),
  expiresAt: z.string(),
  createdAt: z.string(),
  endedAt: z.string().nullable(),
  endReason: z.string().nullable(),
});

const grantBody = z.strictObject({
  password: z.string().min(1).max(MAX_PASSWORD_LENGTH),
  maxOrderLamports: z.string().max(40).describe("lamports, digits, > 0"),
  maxDailyLamports: z.string().max(40).describe("lamports, digits, ≥ maxOrderLamports"),
  orderTypes: z.array(z.string().max(32)).max(TRIGGER_TYPES.length),
  expiresAt: z.string().max(64).describe("ISO time, 1 minute to 30 days from now"),
});

/** A wallet's automation grant: give (with the password and limits), read, revoke. */
export function createAutomationRoutes(options: AutomationRoutesOptions): RouteModule {
  const { grants, store, requireAccess, clock } = options;
  const perUser = options.limit ?? { limit: 60, windowMs: 60_000 };
  const limits = { bucket: "automation", perUser };
  const read = requireAccess("read", limits);
  const trade = requireAccess("trade", limits);
  const loginOnly = requireAccess("login", limits);

  const ownWallet = (request: FastifyRequest, id: string) => getOwnWallet(store, request, id);

  const toJson = async (grant: GrantRecord) =>
    toGrantJson(grant, await grants.spentToday(grant, clock.now()));

  return (app) => {
    app.post(
      "/v1/wallets/:id/automation",
      {
        onRequest: loginOnly,
        schema: {
          tags: ["automation"],
          summary:
            "Grant automation to the wallet (standing orders sign while you are away): the wallet password and limits — maxOrderLamports per order, maxDailyLamports per rolling 24 h, orderTypes allowed, expiresAt (≤ 30 days). The key is re-encrypted under the operator's AUTOMATION_KEY, bound to these limits; it can only sign swaps through the order engine. Replaces an active grant. Audited. 501 AUTOMATION_DISABLED when the operator has no AUTOMATION_KEY.",
          params: walletParams,
          body: grantBody,
          response: { 201: grantSchema },
        },
      },
      async (request, reply) => {
        // The caller's mistakes first (4xx), then whether the server can grant at all.
        const wallet = await ownWallet(request, request.params.id);
        const limits = parseGrantLimits(request.body, clock.now());
        if (!grants.enabled) throw new OspreyError("AUTOMATION_DISABLED");
        const grant = await grants.grant({
          userId: wallet.userId,
          walletId: wallet.id as WalletId,
          password: request.body.password,
          ...limits,
        });
        return reply.status(201).send(await toJson(grant));
      },
    );

    app.get(
      "/v1/wallets/:id/automation",
      {
        onRequest: read,
        schema: {
          tags: ["automation"],
          summary:
            "Whether automation is on (enabled) and the wallet's grant: the active one, else the last one (REVOKED/EXPIRED), else null",
          params: walletParams,
          response: { 200: z.object({ enabled: z.boolean(), grant: grantSchema.nullable() }) },
        },
      },
      async (request) => {
        const wallet = await ownWallet(request, request.params.id);
        const grant = await grants.get(wallet.userId, wallet.id as WalletId);
        return { enabled: grants.enabled, grant: grant && (await toJson(grant)) };
      },
    );

    app.delete(
      "/v1/wallets/:id/automation",
      {
        onRequest: trade,
        schema: {
          tags: ["automation"],
          summary:
            "Revoke the wallet's automation grant: its key is destroyed and its armed triggers pause (reasonCode GRANT_REVOKED). 404 GRANT_NOT_FOUND without an active grant.",
          params: walletParams,
          response: { 200: grantSchema },
        },
      },
      async (request) => {
        const wallet = await ownWallet(request, request.params.id);
        return toJson(await grants.revoke(wallet.userId, wallet.id as WalletId));
      },
    );
  };
}
