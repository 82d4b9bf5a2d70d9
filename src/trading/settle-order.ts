import type { Signature } from "@solana/kit";
import type { LandingOutcome, LandingRequest } from "../chain/landing-types.js";
import type { OrderId } from "../core/ids.js";
import { OspreyError } from "../core/osprey-error.js";
import type { OrderRecord } from "../store/repositories/orders-repository.js";
import { describeTransactionError } from "./describe-transaction-error.js";
import { getFillPosition, getFillTotals } from "./fill-accounting.js";
import type { OrderDeps } from "./order-deps.js";
import { getSourceStatuses } from "./order-transitions.js";
import { SOL_MINT } from "./price-client.js";
import { type Fill, readFill } from "./read-fill.js";

export type SettleMode = "land" | "resume";

const FILL_READS = 10;
const FILL_READ_GAP_MS = 300;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Lands a SIGNED order's stored bytes (or resumes tracking them after a restart) and records
 * the chain's verdict. One settlement per order at a time; every write is a compare-and-set.
 */
export function createOrderSettler(deps: OrderDeps) {
  const { store, chain, logger } = deps;
  const inFlight = new Map<OrderId, Promise<OrderRecord | undefined>>();

  async function readOwner(order: OrderRecord): Promise<string> {
    const wallet = await store.wallets.findForUser(order.userId, order.walletId);
    if (!wallet)
      throw new OspreyError("INTERNAL", "The order's wallet is gone.", { orderId: order.id });
    return wallet.publicKey;
  }

  async function readFillPatiently(order: OrderRecord, knownOwner?: string): Promise<Fill> {
    const owner = knownOwner ?? (await readOwner(order));
    const parties = { owner, mint: order.mint, feeAccount: deps.feeAccount };
    for (let attempt = 0; attempt < FILL_READS; attempt++) {
      const fill = await readFill(chain.rpc, order.signature as Signature, parties);
      if (fill) return fill;
      await sleep(FILL_READ_GAP_MS);
    }
    throw new OspreyError("RPC_ENDPOINT_ERROR", "The confirmed swap could not be read back yet.");
  }

  function finished(order: OrderRecord | undefined): OrderRecord | undefined {
    if (order)
      deps.metrics?.recordStatus(order.side, order.status, deps.clock.now() - order.createdAt);
    return order;
  }

  async function recordOutcome(order: OrderRecord, outcome: LandingOutcome, owner?: string) {
    switch (outcome.kind) {
      case "confirmed": {
        const [fill, solUsdMicros] = await Promise.all([
          readFillPatiently(order, owner),
          deps.prices.getUsdMicros(SOL_MINT).catch(() => null),
        ]);
        const totals = getFillTotals(order.side, fill, solUsdMicros);
        const confirmed = await store.fills.confirmFill({
          orderId: order.id,
          from: getSourceStatuses("CONFIRMED"),
          patch: totals.patch,
          detail: totals.detail,
          applyToPosition: (current) => getFillPosition(order, current, fill, solUsdMicros),
        });
        if (confirmed) deps.metrics?.recordCommission(confirmed.commissionLamports ?? 0n);
        return finished(confirmed);
      }
      case "failed":
        return finished(
          await store.orders.transition(
            order.id,
            getSourceStatuses("FAILED"),
            "FAILED",
            {
              error: describeTransactionError(outcome.error),
              ...(outcome.slot === undefined ? {} : { slot: Number(outcome.slot) }),
            },
            { reason: "on-chain error" },
          ),
        );
      case "expired":
        return finished(
          await store.orders.transition(
            order.id,
            getSourceStatuses("EXPIRED"),
            "EXPIRED",
            { error: "The blockhash expired before the swap landed; nothing was executed." },
            { blockHeight: outcome.blockHeight.toString() },
          ),
        );
      default:
        return outcome satisfies never;
    }
  }

  async function run(order: OrderRecord, mode: SettleMode, owner?: string) {
    if (order.rawTransaction === null || order.lastValidBlockHeight === null) {
      throw new OspreyError("INTERNAL", "Only a signed order can be landed.", {
        orderId: order.id,
      });
    }
    let submitted: Promise<unknown> = Promise.resolve();
    const request: LandingRequest & { route?: "public" | "protected" } = {
      transaction: order.rawTransaction,
      lastValidBlockHeight: BigInt(order.lastValidBlockHeight),
      // A protected order's bytes go to private routes only, also when resumed after a restart.
      route: order.landingRoute,
      onEvent(event) {
        if (event.kind !== "first-send" || order.status !== "SIGNED") return;
        submitted = store.orders
          .transition(order.id, ["SIGNED"], "SUBMITTED", {}, { endpoints: event.endpoints })
          .then((moved) => moved && deps.metrics?.recordStatus(order.side, "SUBMITTED"))
          .catch((error: unknown) =>
            logger.warn({ err: error, orderId: order.id }, "SUBMITTED not recorded"),
          );
      },
    };
    const outcome = await chain.lander[mode](request);
    await submitted;
    return recordOutcome(order, outcome, owner);
  }

  return {
    /**
     * Resolves when the order is final (or undefined if another worker finalised it first).
     * `owner`, the wallet's address when the caller holds it, saves reading the wallet back.
     */
    settle(order: OrderRecord, mode: SettleMode, owner?: string): Promise<OrderRecord | undefined> {
      const existing = inFlight.get(order.id);
      if (existing) return existing;
      const promise = run(order, mode, owner).finally(() => inFlight.delete(order.id));
      inFlight.set(order.id, promise);
      return promise;
    },
    isSettling: (id: OrderId) => inFlight.has(id),
    /** Waits for every settlement to finish or fail (after the lander was closed). */
    async drain(): Promise<void> {
      await Promise.allSettled([...inFlight.values()]);
    },
  };
}

export type OrderSettler = ReturnType<typeof createOrderSettler>;
