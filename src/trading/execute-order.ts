import type { Address } from "../core/addresses.js";
import { ERROR_CODES, isErrorExposed } from "../core/error-codes.js";
import { isOspreyError, OspreyError } from "../core/osprey-error.js";
import { waitAtMost } from "../core/wait-at-most.js";
import type { OrderRecord } from "../store/repositories/orders-repository.js";
import type { SessionSigner } from "../wallet/session-signer.js";
import { write } from "./order-checks.js";
import type { OrderEngineOptions } from "./order-engine.js";
import { getSourceStatuses } from "./order-transitions.js";
import type { PreparedSwap } from "./plan-order.js";
import type { OrderSettler } from "./settle-order.js";
import { signSwap, signTaker } from "./sign-swap.js";

export interface TradingSession {
  readonly owner: Address;
  readonly signer: SessionSigner;
}

/** The second half of an order: sign the prepared swap, store the signed bytes, then land. */
export function createOrderExecution(options: OrderEngineOptions, settler: OrderSettler) {
  const { store, clock, logger, metrics } = options;
  const waitMs = options.waitMs ?? 5_000;

  async function reject(order: OrderRecord, error: unknown): Promise<void> {
    const code = isOspreyError(error) ? error.code : "INTERNAL";
    // The order's error is shown to its user: server-side internals get the table's wording.
    const exposed = isOspreyError(error) && isErrorExposed(code);
    const message = exposed ? error.message : ERROR_CODES[code].message;
    const detail = exposed ? { code, ...error.context } : { code };
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

  async function execute(
    order: OrderRecord,
    swap: PreparedSwap,
    session: TradingSession,
    /** Called once the landing has started: the order's preparation is over. */
    onLanding: () => void = () => {},
  ): Promise<OrderRecord> {
    const { priorityFee } = swap;
    let signedOrder: OrderRecord | undefined;
    try {
      // v1: the pool co-signed the swap API's transaction; v2: Osprey's, the taker's slot only.
      const signed =
        swap.api === "v2"
          ? signTaker(session.signer, swap.transaction)
          : signSwap(session.signer, swap.transaction);
      // Stored, durably, before the first send: after a crash, even a power loss, the reconciler
      // has the exact bytes.
      signedOrder = await write(() =>
        store.database.durably(() =>
          store.orders.transition(
            order.id,
            ["QUOTED"],
            "SIGNED",
            {
              signature: signed.signature,
              rawTransaction: signed.transaction,
              lastValidBlockHeight: Number(swap.lastValidBlockHeight),
            },
            {
              priorityFeeMicroLamports: priorityFee?.toString() ?? null,
              computeUnitLimit: swap.computeUnitLimit,
              ...(swap.api === "v2"
                ? {
                    swapApi: "v2",
                    priorityFeeLamports: swap.priorityFeeLamports?.toString() ?? "0",
                    tipLamports: swap.tip?.lamports.toString() ?? null,
                    tipAccount: swap.tip?.account ?? null,
                    landingRoute: order.landingRoute,
                  }
                : {}),
            },
          ),
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
    const settling = settler.settle(signedOrder, "land", session.owner).catch((error: unknown) => {
      logger.warn(
        { err: error, orderId: order.id },
        "landing interrupted; the reconciler resumes it",
      );
    });
    onLanding();
    // Settled in time: the final record is at hand. Otherwise (or if another worker finished
    // it) the order as it is now.
    const final = await waitAtMost(settling, waitMs);
    return final ?? (await store.orders.findById(order.id)) ?? signedOrder;
  }

  return { reject, execute };
}
