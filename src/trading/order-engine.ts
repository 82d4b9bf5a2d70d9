import { createAdmissionGate } from "../core/admission-gate.js";
import type { OrderId, UserId, WalletId } from "../core/ids.js";
import { OspreyError } from "../core/osprey-error.js";
import type { OrderRecord } from "../store/repositories/orders-repository.js";
import { createSessionSigner } from "../wallet/session-signer.js";
import { createOrderExecution } from "./execute-order.js";
import { assertTradable, safetyRejection, write } from "./order-checks.js";
import type { OrderDeps } from "./order-deps.js";
import { getOrderRequestHash, type OrderRequest, parseOrderRequest } from "./order-request.js";
import { planOrder, startPlan } from "./plan-order.js";
import { createOrderSettler } from "./settle-order.js";

export interface OrderEngineOptions extends OrderDeps {
  /**
   * Orders prepared at once, from quote and analysis to the first send (default 32); the others
   * wait their turn, first come first served. Started all together on one event loop, orders
   * would advance in lockstep and all finish late.
   */
  readonly concurrency?: number;
  /** How long a new order's request waits for a final status before answering with progress. */
  readonly waitMs?: number;
  /** Test seam: false skips landing after SIGNED, as if the process died right there. */
  readonly shouldLand?: (order: OrderRecord) => boolean;
}

export interface PlaceOrderInput {
  readonly userId: UserId;
  readonly sessionToken: string;
  readonly idempotencyKey: string;
  readonly body: unknown;
}

export interface PlacedOrder {
  readonly order: OrderRecord;
  /** False when the idempotency key named an existing order, which is returned as it is now. */
  readonly created: boolean;
}

/** The write-ahead order flow (docs/ARCHITECTURE.md, "An order, write-ahead"; src/trading/README.md). */
export function createOrderEngine(options: OrderEngineOptions) {
  const { store, sessions, metrics } = options;
  const settler = createOrderSettler(options);
  const { reject, execute } = createOrderExecution(options, settler);
  const gate = createAdmissionGate(options.concurrency ?? 32);
  metrics?.trackWaiting(() => gate.waiting);

  function sameOrConflict(existing: OrderRecord, requestHash: string): PlacedOrder {
    if (existing.requestHash !== requestHash)
      throw new OspreyError("IDEMPOTENCY_CONFLICT", undefined, { orderId: existing.id });
    return { order: existing, created: false };
  }

  async function placeOrder(input: PlaceOrderInput): Promise<PlacedOrder> {
    const request = parseOrderRequest(input.body);
    assertTradable(request);
    // Its turn ends once it is landing, or when it ends sooner (retry, refusal, error).
    const leave = await gate.enter();
    try {
      return await prepare(input, request, leave);
    } finally {
      leave();
    }
  }

  async function prepare(
    input: PlaceOrderInput,
    request: OrderRequest,
    leave: () => void,
  ): Promise<PlacedOrder> {
    const start = startPlan(options, request);
    // A retry is answered before the session is needed: it may come after a restart lost it.
    const prior = await write(() =>
      store.orders.findByIdempotencyKey(input.userId, input.idempotencyKey),
    );
    if (prior) return sameOrConflict(prior, getOrderRequestHash(prior.walletId, request));
    const session = await sessions.withKey(input.sessionToken, input.userId, async (key) => ({
      walletId: key.walletId as WalletId,
      owner: key.publicKey,
      signer: createSessionSigner(key),
    }));
    const requestHash = getOrderRequestHash(session.walletId, request);

    const plan = await planOrder(options, start, session.owner);
    const { swap } = plan;
    const rejection = plan.report && safetyRejection(plan.report, request);
    const { order, created } = await write(() =>
      store.orders.createPending({
        userId: input.userId,
        walletId: session.walletId,
        side: request.side,
        mint: request.mint,
        idempotencyKey: input.idempotencyKey,
        requestHash,
        amountIn: plan.amountIn,
        slippageBps: request.slippageBps,
        detail: {
          ...(plan.report ? { verdict: plan.report.verdict, score: plan.report.score } : {}),
          ...(swap
            ? {
                quotedOut: swap.quote.outAmount.toString(),
                priceImpact: swap.quote.priceImpact,
                platformFee: swap.quote.platformFee?.amount.toString() ?? null,
              }
            : {}),
        },
        // Cleared to sign: PENDING and QUOTED go down in one write.
        ...(swap && !rejection
          ? { quoted: { minAmountOut: swap.quote.otherAmountThreshold } }
          : {}),
      }),
    );
    if (!created) return sameOrConflict(order, requestHash);
    metrics?.recordStatus(order.side, "PENDING");
    if (rejection || !swap) {
      const error = rejection ?? new OspreyError("NO_ROUTE");
      await reject(order, error);
      throw new OspreyError(error.code, error.message, { orderId: order.id, ...error.context });
    }
    return { order: await execute(order, swap, session, leave), created: true };
  }

  return {
    placeOrder,
    settler,
    getOrder: (userId: UserId, id: OrderId) => store.orders.findForUser(userId, id),
    listOrders: (userId: UserId, limit?: number) =>
      store.orders.listForUser(userId, limit === undefined ? {} : { limit }),
    /** Waits for landings in flight to stop (close the chain client first). */
    drain: () => settler.drain(),
  };
}

export type OrderEngine = ReturnType<typeof createOrderEngine>;
