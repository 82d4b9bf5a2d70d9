import type { Address } from "../core/addresses.js";
import { createAdmissionGate } from "../core/admission-gate.js";
import { afterImmediates } from "../core/after-immediates.js";
import type { OrderId, UserId, WalletId } from "../core/ids.js";
import { OspreyError } from "../core/osprey-error.js";
import type { OrderRecord } from "../store/repositories/orders-repository.js";
import { createSessionSigner } from "../wallet/session-signer.js";
import type { SessionKey } from "../wallet/session-types.js";
import { createComputeUnitCache } from "./compute-units.js";
import { createOrderExecution } from "./execute-order.js";
import { assertTradable, safetyRejection, write } from "./order-checks.js";
import type { OrderDeps } from "./order-deps.js";
import {
  DEFAULT_SLIPPAGE_BPS,
  getOrderRequestHash,
  type OrderRequest,
  parseOrderRequest,
} from "./order-request.js";
import { type OrderPlan, planOrder, startAnalysis, startPlan } from "./plan-order.js";
import { planOrderV2, resolvePreferences } from "./plan-order-v2.js";
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

/** The wallet key an order signs with, and the wallet it belongs to. */
export type OrderKey = Pick<SessionKey, "walletId" | "publicKey" | "secretKey">;

/**
 * Where an order's key comes from when no trading session is unlocked: an automation grant
 * (src/automation). `withKey` opens the key for this one order, runs `fn`, and wipes it.
 */
export interface OrderKeySource {
  /** The key's public key when known before it is opened (a grant's): the swap is built meanwhile. */
  readonly publicKey?: Address;
  withKey<T>(fn: (key: OrderKey) => Promise<T>): Promise<T>;
}

interface ChosenPlan {
  readonly plan: OrderPlan;
  readonly slippageBps: number;
  readonly landingRoute: "public" | "protected";
}

/** What the plan offers before anything is written: the amount in and the quoted amount out. */
export interface PlannedAmounts {
  readonly side: "buy" | "sell";
  readonly amountIn: bigint;
  readonly quotedOut: bigint;
}

export type PlaceOrderInput = {
  readonly userId: UserId;
  readonly idempotencyKey: string;
  readonly body: unknown;
  /** The standing order placing it (written on the order row). */
  readonly triggerId?: string;
  /**
   * Checked on the planned amounts before the order is written: a throw refuses the order and
   * nothing is written (a standing order's executable-price check). Not run for a retry.
   */
  readonly guard?: (planned: PlannedAmounts) => void;
  /**
   * A plan begun earlier for this very body and the key's public key (`prefetchPlan`): used
   * instead of starting one, so its round trips may already be done.
   */
  readonly prefetched?: PlanPrefetch;
} & (
  | { readonly sessionToken: string; readonly key?: undefined }
  | { readonly key: OrderKeySource; readonly sessionToken?: undefined }
);

/** The plan's round trips, started before the order is placed: read-only, nothing is written. */
export interface PlanPrefetch {
  readonly userId: UserId;
  readonly body: unknown;
  readonly publicKey: Address;
  readonly begun: BegunPlan;
}

interface BegunPlan {
  readonly planFor: (owner: Address) => Promise<ChosenPlan>;
  readonly early: Promise<ChosenPlan> | null;
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

  const api = options.swapApi === "v2" && options.swapV2 ? "v2" : "v1";
  const computeUnits = options.computeUnits ?? createComputeUnitCache({ rpc: options.chain.rpc });
  const hasPrivateRoute = () => options.chain.landingRoutes?.hasPrivate() === true;

  async function placeOrder(input: PlaceOrderInput): Promise<PlacedOrder> {
    const request = parseOrderRequest(input.body);
    assertTradable(request);
    // v1 lands Jupiter's transaction as built: no tip can be added to it.
    if (request.mevProtection === true && api === "v1")
      throw new OspreyError(
        "MEV_PROTECTION_UNAVAILABLE",
        "MEV protection needs Swap API v2 (JUPITER_SWAP_API=v2): a v1 transaction cannot carry a tip.",
      );
    if (request.mevProtection === true && !hasPrivateRoute())
      throw new OspreyError("MEV_PROTECTION_UNAVAILABLE");
    // Its turn ends once it is landing, or when it ends sooner (retry, refusal, error).
    const leave = await gate.enter();
    try {
      return await prepare(input, request, leave);
    } finally {
      leave();
    }
  }

  /** Starts an order's plan: its quote and reads now, its build too when the taker is known. */
  function beginPlan(userId: UserId, request: OrderRequest, known: Address | undefined): BegunPlan {
    const start = api === "v1" ? startPlan(options, request) : null;
    const analysis = start?.analysis ?? startAnalysis(options, request);
    // v2 fills what the order leaves out from the user's settings, read beside the key lookup.
    const settingsRead =
      api === "v2" && options.settings
        ? write(() => (options.settings as NonNullable<typeof options.settings>).get(userId))
        : Promise.resolve(null);
    settingsRead.catch(() => undefined);
    // The plan of an order whose wallet is known before its key is opened (a grant's) starts at
    // once: the swap is built while the key source reads its grant and writes its audit line.
    const planFor = async (owner: Address): Promise<ChosenPlan> => {
      if (start)
        return {
          plan: await planOrder(options, start, owner),
          slippageBps: request.slippageBps ?? DEFAULT_SLIPPAGE_BPS,
          landingRoute: "public",
        };
      const prefs = resolvePreferences(request, await settingsRead);
      // A protected order goes to private routes only: none configured, nothing is written.
      if (prefs.mevProtection && !hasPrivateRoute())
        throw new OspreyError("MEV_PROTECTION_UNAVAILABLE");
      return {
        plan: await planOrderV2({ ...options, computeUnits }, request, analysis, owner, prefs),
        slippageBps: prefs.slippageBps,
        landingRoute: prefs.mevProtection ? "protected" : "public",
      };
    };
    const early = known === undefined ? null : planFor(known);
    early?.catch(() => undefined); // observed once the key is open
    return { planFor, early };
  }

  /**
   * Begins the plan of an order about to be placed for `publicKey` (a firing's, while its claim
   * is written): read-only round trips, nothing written. Null when the body is not an order.
   */
  function prefetchPlan(input: {
    userId: UserId;
    body: unknown;
    publicKey: Address;
  }): PlanPrefetch | null {
    let request: OrderRequest;
    try {
      request = parseOrderRequest(input.body);
    } catch {
      return null;
    }
    return { ...input, begun: beginPlan(input.userId, request, input.publicKey) };
  }

  async function prepare(
    input: PlaceOrderInput,
    request: OrderRequest,
    leave: () => void,
  ): Promise<PlacedOrder> {
    const { prefetched } = input;
    const begun =
      prefetched !== undefined &&
      (prefetched.body === input.body ||
        JSON.stringify(prefetched.body) === JSON.stringify(input.body)) &&
      prefetched.userId === input.userId &&
      prefetched.publicKey === input.key?.publicKey
        ? prefetched.begun
        : beginPlan(input.userId, request, input.key?.publicKey);
    const { early } = begun;
    const open = async (key: OrderKey) => ({
      walletId: key.walletId as WalletId,
      owner: key.publicKey,
      signer: createSessionSigner(key),
    });
    // A retry is answered before the session is needed: it may come after a restart lost it.
    const prior = await write(() =>
      store.orders.findByIdempotencyKey(input.userId, input.idempotencyKey),
    );
    if (prior) return sameOrConflict(prior, getOrderRequestHash(prior.walletId, request));
    // The plan's requests leave before the key source's synchronous work (grant read, audit
    // line, opening the key) holds the thread.
    if (early) await afterImmediates();
    const session = input.key
      ? await input.key.withKey(open)
      : await sessions.withKey(input.sessionToken, input.userId, open);
    const known = input.key?.publicKey;
    if (known !== undefined && session.owner !== known)
      throw new OspreyError("WALLET_KEY_MISMATCH");
    const requestHash = getOrderRequestHash(session.walletId, request);
    const { plan, slippageBps, landingRoute } = await (early ?? begun.planFor(session.owner));
    const { swap } = plan;
    const rejection = plan.report && safetyRejection(plan.report, request);
    if (input.guard && swap && !rejection)
      input.guard({ side: request.side, amountIn: plan.amountIn, quotedOut: swap.quote.outAmount });
    const { order, created } = await write(() =>
      store.orders.createPending({
        userId: input.userId,
        walletId: session.walletId,
        side: request.side,
        mint: request.mint,
        idempotencyKey: input.idempotencyKey,
        requestHash,
        amountIn: plan.amountIn,
        slippageBps,
        landingRoute,
        swapApi: api,
        ...(input.triggerId === undefined ? {} : { triggerId: input.triggerId }),
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
    prefetchPlan,
    settler,
    getOrder: (userId: UserId, id: OrderId) => store.orders.findForUser(userId, id),
    listOrders: (userId: UserId, limit?: number) =>
      store.orders.listForUser(userId, limit === undefined ? {} : { limit }),
    /** Waits for landings in flight to stop (close the chain client first). */
    drain: () => settler.drain(),
  };
}

export type OrderEngine = ReturnType<typeof createOrderEngine>;
