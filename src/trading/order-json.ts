import type { OrderEvent, OrderRecord } from "../store/repositories/orders-repository.js";
import { formatUsdMicros } from "./price-client.js";

const iso = (ms: number) => new Date(ms).toISOString();
const text = (value: bigint | null) => (value === null ? null : value.toString());

/** An order as CONTRACTS.md shows it: amounts as strings of integers, USD as a decimal string. */
export function toOrderJson(order: OrderRecord, events: readonly OrderEvent[]) {
  return {
    id: order.id,
    side: order.side,
    mint: order.mint,
    status: order.status,
    amountIn: order.amountIn.toString(),
    amountOut: text(order.amountOut),
    minAmountOut: text(order.minAmountOut),
    slippageBps: order.slippageBps,
    commissionLamports: text(order.commissionLamports),
    commissionUsd:
      order.commissionUsdMicros === null ? null : formatUsdMicros(order.commissionUsdMicros),
    networkFeeLamports: text(order.networkFeeLamports),
    priorityFeeLamports: text(order.priorityFeeLamports),
    tipLamports: text(order.tipLamports),
    mevProtected: order.landingRoute === "protected",
    signature: order.signature,
    slot: order.slot,
    error: order.error,
    walletId: order.walletId,
    /** The standing order that placed it (GET /v1/triggers/:id); null when placed by hand. */
    triggerId: order.triggerId,
    createdAt: iso(order.createdAt),
    updatedAt: iso(order.updatedAt),
    events: events.map((event) => ({
      status: event.status,
      at: iso(event.at),
      detail: event.detail,
    })),
  };
}

export type OrderJson = ReturnType<typeof toOrderJson>;
