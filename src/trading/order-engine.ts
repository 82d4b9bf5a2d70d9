import { address as toKitAddress } from "@solana/kit";
import type { Address } from "../core/addresses.js";
import type { OrderId, UserId, WalletId } from "../core/ids.js";
import { isOspreyError, OspreyError } from "../core/osprey-error.js";
import type { SafetyReport } from "../safety/safety-types.js";
import type { OrderRecord } from "../store/repositories/orders-repository.js";
import { createSessionSigner } from "../wallet/session-signer.js";
import type { OrderDeps } from "./order-deps.js";
import { getOrderRequestHash, type OrderRequest, parseOrderRequest } from "./order-request.js";
import { getSourceStatuses } from "./order-transitions.js";
import { planOrder } from "./plan-order.js";
import { SOL_MINT } from "./price-client.js";
import { createOrderSettler } from "./settle-order.js";
import { signSwap } from "./sign-swap.js";

export interface OrderEngineOptions extends OrderDeps {
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

/** Resolves when `promise` settles or `ms` pass, leaving no timer behind. */
async function waitAtMost(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  await Promise.race([promise, timeout]);
  clearTimeout(timer);
}

/** Database failures become 503 before anything is signed; our own errors pass through. */
async function write<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (isOspreyError(error)) throw error;
    throw new OspreyError("DATABASE_UNAVAILABLE", undefined, {}, { cause: error });
  }
}

function assertTradable(request: OrderRequest): void {
  if (request.mint === SOL_MINT)
    throw new OspreyError("INVALID_INPUT", "Trade a token against SOL, not SOL itself.");
  const amount = request.side === "buy" ? request.amountLamports : request.amount;
  // The swap API's client carries amounts as numbers: refuse what would lose precision.
  if (amount !== undefined && amount > BigInt(Number.MAX_SAFE_INTEGER))
    throw new OspreyError("INVALID_AMOUNT", "The amount is too large to quote exactly.", {
      max: String(Number.MAX_SAFE_INTEGER),
    });
}

function safetyRejection(report: SafetyReport, request: OrderRequest): OspreyError | null {
  const risky = report.checks.filter((check) => check.status !== "pass");
  const context = { verdict: report.verdict, score: report.score, checks: risky };
  if (report.verdict === "block") return new OspreyError("SAFETY_BLOCKED", undefined, context);
  if (report.verdict === "warn" && !request.acceptRisk)
    return new OspreyError("RISK_NOT_ACCEPTED", undefined, context);
  return null;
}

/** The write-ahead order flow of ARCHITECTURE.md ("Order lifecycle"). */
export function createOrderEngine(options: OrderEngineOptions) {
  const { store, sessions, swapClient, chain, clock, logger, metrics } = options;
  const settler = createOrderSettler(options);
  const waitMs = options.waitMs ?? 5_000;

  function sameOrConflict(existing: OrderRecord, requestHash: string): PlacedOrder {
    if (existing.requestHash !== requestHash)
      throw new OspreyError("IDEMPOTENCY_CONFLICT", undefined, { orderId: existing.id });
    return { order: existing, created: false };
  }

  async function reject(order: OrderRecord, error: unknown): Promise<void> {
    const code = isOspreyError(error) ? error.code : "INTERNAL";
    const message = error instanceof Error ? error.message : String(error);
    const detail = isOspreyError(error) ? { code, ...error.context } : { code };
    try {
      const moved = await store.orders.transition(
        order.id,
        getSourceStatuses("REJECTED"),
        "REJECTED",
        { error: message },
        detail,
      );
      if (moved) metrics?.recordStatus(order.side, "REJECTED", clock.now() - order.createdAt);
    } catch (cause) {
      // Unsigned, so harmless: the reconciler rejects it after its grace period.
      logger.warn({ err: cause, orderId: order.id }, "could not record a rejection");
    }
  }

  async function placeOrder(input: PlaceOrderInput): Promise<PlacedOrder> {
    const request = parseOrderRequest(input.body);
    assertTradable(request);
    // A retry is answered before the session is needed: it may come after a restart lost it.
    const prior = await write(() =>
      store.orders.findByIdempotencyKey(input.userId, input.idempotencyKey),
    );
    if (prior) return sameOrConflict(prior, getOrderRequestHash(prior.walletId, request));
    const session = await sessions.withKey(input.sessionToken, input.userId, async (key) => ({
      walletId: key.walletId as WalletId,
      owner: key.publicKey,
      signer: await createSessionSigner(key),
    }));
    const requestHash = getOrderRequestHash(session.walletId, request);

    const plan = await planOrder(options, request, session.owner);
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
          ...(plan.quote
            ? {
                quotedOut: plan.quote.outAmount.toString(),
                priceImpact: plan.quote.priceImpact,
                platformFee: plan.quote.platformFee?.amount.toString() ?? null,
              }
            : {}),
        },
      }),
    );
    if (!created) return sameOrConflict(order, requestHash);
    metrics?.recordStatus(order.side, "PENDING");
    const rejection = plan.report && safetyRejection(plan.report, request);
    if (rejection || !plan.quote) {
      const error = rejection ?? new OspreyError("NO_ROUTE");
      await reject(order, error);
      throw new OspreyError(error.code, error.message, { orderId: order.id, ...error.context });
    }
    return { order: await execute(order, plan.quote, session), created: true };
  }

  async function execute(
    order: OrderRecord,
    quote: NonNullable<Awaited<ReturnType<typeof planOrder>>["quote"]>,
    session: { owner: Address; signer: Awaited<ReturnType<typeof createSessionSigner>> },
  ): Promise<OrderRecord> {
    let signedOrder: OrderRecord | undefined;
    try {
      const writable = [...quote.raw.routePlan.map((step) => step.swapInfo.ammKey), session.owner];
      const [, priorityFee] = await Promise.all([
        write(() =>
          store.orders.transition(order.id, ["PENDING"], "QUOTED", {
            minAmountOut: quote.otherAmountThreshold,
          }),
        ),
        chain.priorityFees
          .estimate(writable.map((key) => toKitAddress(key)))
          .catch(() => undefined),
      ]);
      const built = await swapClient.buildSwap({
        quote,
        userPublicKey: session.owner,
        ...(options.feeWallet ? { feeAccount: options.feeWallet } : {}),
        ...(priorityFee === undefined ? {} : { computeUnitPriceMicroLamports: priorityFee }),
      });
      const signed = await signSwap(session.signer, built.transaction);
      // Stored before the first send: after a crash the reconciler has the exact bytes.
      signedOrder = await write(() =>
        store.orders.transition(
          order.id,
          ["QUOTED"],
          "SIGNED",
          {
            signature: signed.signature,
            rawTransaction: signed.transaction,
            lastValidBlockHeight: Number(built.lastValidBlockHeight),
          },
          {
            priorityFeeMicroLamports: priorityFee?.toString() ?? null,
            computeUnitLimit: built.computeUnitLimit,
          },
        ),
      );
      if (!signedOrder)
        throw new OspreyError(
          "CONFLICT",
          "The order was closed before it was signed; nothing was sent.",
        );
    } catch (error) {
      await reject(order, error);
      throw error;
    }
    metrics?.recordStatus(order.side, "SIGNED");
    if (options.shouldLand?.(signedOrder) === false) return signedOrder;
    const settling = settler.settle(signedOrder, "land").catch((error: unknown) => {
      logger.warn(
        { err: error, orderId: order.id },
        "landing interrupted; the reconciler resumes it",
      );
    });
    await waitAtMost(settling, waitMs);
    return (await store.orders.findById(order.id)) ?? signedOrder;
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
