import { z } from "zod";
import type { TriggerService } from "../../automation/triggers/trigger-service.js";
import { TRIGGER_STATUSES, TRIGGER_TYPES } from "../../automation/triggers/trigger-types.js";
import { isAddress } from "../../core/addresses.js";
import type { WalletId } from "../../core/ids.js";
import type { RateLimit } from "../../kv/rate-limiter.js";
import type { RouteModule } from "../api-types.js";
import { getPrincipal } from "../auth-guard.js";
import { queryInteger } from "../query-integer.js";
import type { RequireAccess } from "../route-access.js";

export interface TriggerRoutesOptions {
  readonly triggers: TriggerService;
  readonly requireAccess: RequireAccess;
  /** Creates and cancels per user per window; reads get five times as many. */
  readonly limit?: RateLimit;
}

/** A trigger as every route answers it (CONTRACTS20.md), so clients can generate its type. */
const triggerSchema = z.object({
  id: z.string(),
  walletId: z.string(),
  type: z.enum(TRIGGER_TYPES),
  mint: z.string(),
  status: z.enum(TRIGGER_STATUSES),
  reasonCode: z.string().nullable(),
  reason: z.string().nullable(),
  params: z
    .record(z.string(), z.unknown())
    .describe("the type's parameters as accepted; amounts as strings of base units"),
  triggerPriceUsd: z.string().nullable().describe("USD per whole token that fires it"),
  highWaterPriceUsd: z.string().nullable().describe("trailing stop: highest price since armed"),
  linkedTriggerIds: z
    .array(z.string())
    .describe("linked take-profit/stop-loss: one cancels the other"),
  firingCount: z.number(),
  nextDueAt: z.string().nullable().describe("DCA: when the next buy is due"),
  expiresAt: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  orders: z.array(
    z.object({
      firing: z.number(),
      orderId: z.string().nullable(),
      status: z.string().describe("the order's status, or the firing's (NOT_PLACED) without one"),
      reasonCode: z.string().nullable(),
    }),
  ),
});

const idParams = z.object({ id: z.string().max(64) });

const CREATE_SUMMARY = [
  "Arm a standing order on a wallet with an active automation grant (POST /v1/wallets/:id/automation).",
  "Body {type, walletId, mint, expiresAt? (ISO; default and maximum: the grant's expiry), slippageBps? (1–5000)} and per type:",
  'limit_buy {amountLamports: "…", priceUsd: "0.0123", acceptRisk?} buys when the price is at or below priceUsd;',
  "take_profit / stop_loss {priceUsd | changePercent (TP 0.1–1000 % above, SL 0.1–99.9 % below the position's average cost, positive numbers), percent (0.01–100) | amount, linkedTo?: the other kind's id, one cancels the other};",
  "trailing_stop {trailPercent 0.1–99, percent | amount} sells when the price falls that far from its highest since armed;",
  "dca {amountLamports, intervalSeconds (≥ TRIGGER_DCA_MIN_INTERVAL_SECONDS), count 2–100, priceMinUsd?, priceMaxUsd?, acceptRisk?}: the first buy is due at once, then one every interval; outside the band a buy waits.",
  "Prices are USD per whole token, decimal strings above zero (≤ 18 decimals).",
  "Refusals (nothing recorded): INVALID_INPUT, NOT_FOUND (wallet), AUTOMATION_DISABLED, GRANT_NOT_FOUND, GRANT_TYPE_NOT_ALLOWED, GRANT_LIMIT_EXCEEDED (buy above the grant's per-order maximum), SAFETY_BLOCKED / RISK_NOT_ACCEPTED (buys; details.checks), POSITION_NOT_FOUND (sells), PRICE_UNAVAILABLE.",
].join(" ");

/** Standing orders: arm, list, read and cancel the caller's triggers. */
export function createTriggerRoutes(options: TriggerRoutesOptions): RouteModule {
  const { triggers, requireAccess } = options;
  const limit = options.limit ?? { limit: 60, windowMs: 60_000 };
  const write = requireAccess("trade", { bucket: "triggers:write", perUser: limit });
  const read = requireAccess("read", {
    bucket: "triggers:read",
    perUser: { limit: limit.limit * 5, windowMs: limit.windowMs },
  });
  const one = async (trigger: Parameters<TriggerService["toJson"]>[0][number]) => {
    const [json] = await triggers.toJson([trigger]);
    if (!json) throw new Error("toJson answered nothing for one trigger");
    return json;
  };

  return (app) => {
    app.post(
      "/v1/triggers",
      {
        onRequest: write,
        schema: {
          tags: ["triggers"],
          summary: CREATE_SUMMARY,
          body: z.record(z.string(), z.unknown()),
          response: { 201: triggerSchema },
        },
      },
      async (request, reply) => {
        const created = await triggers.create(getPrincipal(request).userId, request.body);
        return reply.status(201).send(await one(created));
      },
    );

    app.get(
      "/v1/triggers",
      {
        onRequest: read,
        schema: {
          tags: ["triggers"],
          summary:
            "The caller's triggers, newest first, each with the orders it placed; filters: status, walletId, mint, limit (1–200, default 100)",
          querystring: z.strictObject({
            status: z.enum(TRIGGER_STATUSES).optional(),
            walletId: z.uuid().optional(),
            mint: z.string().refine(isAddress, "mint must be a base58 address").optional(),
            limit: queryInteger(1, 200).default(100),
          }),
          response: { 200: z.object({ triggers: z.array(triggerSchema) }) },
        },
      },
      async (request) => {
        const { status, walletId, mint, limit: count } = request.query;
        const list = await triggers.list(getPrincipal(request).userId, {
          limit: count,
          ...(status ? { status } : {}),
          ...(walletId ? { walletId: walletId as WalletId } : {}),
          ...(mint ? { mint } : {}),
        });
        return { triggers: await triggers.toJson(list) };
      },
    );

    app.get(
      "/v1/triggers/:id",
      {
        onRequest: read,
        schema: {
          tags: ["triggers"],
          summary:
            "One of the caller's triggers with the orders it placed (TRIGGER_NOT_FOUND otherwise)",
          params: idParams,
          response: { 200: triggerSchema },
        },
      },
      async (request) => one(await triggers.get(getPrincipal(request).userId, request.params.id)),
    );

    app.delete(
      "/v1/triggers/:id",
      {
        onRequest: write,
        schema: {
          tags: ["triggers"],
          summary:
            "Cancel an ARMED or PAUSED trigger (reasonCode CANCELLED); any other status: 409 TRIGGER_NOT_ACTIVE. An order already placed is not undone.",
          params: idParams,
          response: { 200: triggerSchema },
        },
      },
      async (request) =>
        one(await triggers.cancel(getPrincipal(request).userId, request.params.id)),
    );
  };
}
