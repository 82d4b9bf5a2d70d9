import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { isUuid, isWalletId, type WalletId } from "../../core/ids.js";
import { OspreyError } from "../../core/osprey-error.js";
import { WITHDRAWAL_STATUSES } from "../../core/withdrawal-status.js";
import type { RateLimit } from "../../kv/rate-limiter.js";
import type { WalletRecord } from "../../store/repositories/wallets-repository.js";
import type { WithdrawalRecord } from "../../store/repositories/withdrawals-repository.js";
import type { Store } from "../../store/store.js";
import { toWithdrawalJson } from "../../withdrawals/withdrawal-json.js";
import type { WithdrawalService } from "../../withdrawals/withdrawal-service.js";
import type { RouteModule } from "../api-types.js";
import { getPrincipal } from "../auth-guard.js";
import { getIdempotencyKey } from "../idempotency-key.js";
import { queryInteger } from "../query-integer.js";
import type { RequireAccess } from "../route-access.js";
import { getSessionToken } from "./wallet-routes.js";

export interface WithdrawalRoutesOptions {
  readonly withdrawals: WithdrawalService;
  readonly store: Store;
  readonly requireAccess: RequireAccess;
  /** Withdrawals per user per window (retries included); reads get five times as many. */
  readonly limit?: RateLimit;
}

const walletParams = z.object({ id: z.string().max(64) });

/** A withdrawal as every route answers it (CONTRACTS17.md), so clients can generate its type. */
const withdrawalSchema = z.object({
  id: z.string(),
  walletId: z.string(),
  to: z.string(),
  mint: z.string().nullable().describe("null: SOL"),
  amount: z.string().describe("base units (lamports, or the token's)"),
  status: z.enum(WITHDRAWAL_STATUSES),
  signature: z.string().nullable(),
  error: z.string().nullable(),
  feeLamports: z.string().nullable().describe("the network fee paid, once known"),
  slot: z.number().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  events: z.array(
    z.object({
      status: z.enum(WITHDRAWAL_STATUSES),
      at: z.string(),
      detail: z.record(z.string(), z.unknown()).nullable(),
    }),
  ),
});

/** Withdrawals of SOL or a token from one of the caller's wallets, and their history. */
export function createWithdrawalRoutes(options: WithdrawalRoutesOptions): RouteModule {
  const { withdrawals, store, requireAccess } = options;
  const limit = options.limit ?? { limit: 30, windowMs: 60_000 };
  const trade = requireAccess("trade", { bucket: "withdrawals:send", perUser: limit });
  const read = requireAccess("read", {
    bucket: "withdrawals:read",
    perUser: { limit: limit.limit * 5, windowMs: limit.windowMs },
  });
  const withEvents = async (withdrawal: WithdrawalRecord) =>
    toWithdrawalJson(withdrawal, await store.withdrawals.listEvents(withdrawal.id));

  // Another user's wallet and a missing one answer the same 404, so ids leak nothing.
  async function ownWallet(request: FastifyRequest, id: string): Promise<WalletRecord> {
    const { userId } = getPrincipal(request);
    const wallet = isWalletId(id) ? await store.wallets.findForUser(userId, id) : undefined;
    if (!wallet) throw new OspreyError("NOT_FOUND", "No such wallet.");
    return wallet;
  }

  return (app) => {
    app.post(
      "/v1/wallets/:id/withdrawals",
      {
        onRequest: trade,
        schema: {
          tags: ["withdrawals"],
          summary:
            "Send SOL ({to, amount}) or a token ({to, amount, mint}) to another address; amounts in base units as strings. Needs Idempotency-Key and the wallet's unlocked trading session (X-Trading-Session). Recorded before it is signed and landed like an order: answers 202 once final or after a few seconds (then poll GET /v1/withdrawals/:id); a retry with the same key answers 200 with the same withdrawal. Refusals (nothing recorded): INVALID_ADDRESS, WITHDRAW_TO_SELF, INVALID_AMOUNT, INSUFFICIENT_BALANCE (details.available).",
          params: walletParams,
          body: z.record(z.string(), z.unknown()),
          response: { 200: withdrawalSchema, 202: withdrawalSchema },
        },
      },
      async (request, reply) => {
        const wallet = await ownWallet(request, request.params.id);
        const idempotencyKey = getIdempotencyKey(request);
        const sessionToken = getSessionToken(request);
        const requested = await withdrawals.requestWithdrawal({
          userId: getPrincipal(request).userId,
          wallet,
          sessionToken,
          idempotencyKey,
          body: request.body,
          ip: request.ip,
        });
        return reply
          .status(requested.created ? 202 : 200)
          .send(await withEvents(requested.withdrawal));
      },
    );

    app.get(
      "/v1/wallets/:id/withdrawals",
      {
        onRequest: read,
        schema: {
          tags: ["withdrawals"],
          summary: "The wallet's withdrawals, newest first, each with its status history",
          params: walletParams,
          querystring: z.object({ limit: queryInteger(1, 200).default(50) }),
          response: { 200: z.object({ withdrawals: z.array(withdrawalSchema) }) },
        },
      },
      async (request) => {
        const wallet = await ownWallet(request, request.params.id);
        const list = await withdrawals.list(
          getPrincipal(request).userId,
          wallet.id as WalletId,
          request.query.limit,
        );
        const events = await store.withdrawals.listEventsOf(list.map((w) => w.id));
        return { withdrawals: list.map((w) => toWithdrawalJson(w, events.get(w.id) ?? [])) };
      },
    );

    app.get(
      "/v1/withdrawals/:id",
      {
        onRequest: read,
        schema: {
          tags: ["withdrawals"],
          summary: "One of the caller's withdrawals with its status history",
          params: z.object({ id: z.string().max(64) }),
          response: { 200: withdrawalSchema },
        },
      },
      async (request) => {
        const { id } = request.params;
        const withdrawal = isUuid(id)
          ? await withdrawals.get(getPrincipal(request).userId, id)
          : undefined;
        if (!withdrawal) throw new OspreyError("WITHDRAWAL_NOT_FOUND");
        return withEvents(withdrawal);
      },
    );
  };
}
