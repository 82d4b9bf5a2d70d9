import type { OrderPatch, OrderRecord } from "../store/repositories/orders-repository.js";
import type { Position, PositionInput } from "../store/repositories/positions-repository.js";
import { applyBuy, applySell, EMPTY_HOLDING } from "./position-math.js";
import { lamportsToUsdMicros } from "./price-client.js";
import type { Fill } from "./read-fill.js";

/**
 * The order's final amounts from the landed transaction. Buy: amountIn is every lamport the
 * wallet paid (swap, commission, network fee, rent), amountOut the tokens it gained. Sell:
 * amountIn is the tokens that left, amountOut the lamports the wallet gained net of all fees.
 */
export function getFillTotals(side: "buy" | "sell", fill: Fill, solUsdMicros: bigint | null) {
  const patch: OrderPatch = {
    amountIn: side === "buy" ? -fill.lamportDelta : -fill.tokenDelta,
    amountOut: side === "buy" ? fill.tokenDelta : fill.lamportDelta,
    commissionLamports: fill.feeAccountDelta,
    ...(solUsdMicros === null
      ? {}
      : { commissionUsdMicros: lamportsToUsdMicros(fill.feeAccountDelta, solUsdMicros) }),
    slot: Number(fill.slot),
    networkFeeLamports: fill.networkFee,
    priorityFeeLamports: fill.priorityFee,
    ...(fill.tip === null ? {} : { tipLamports: fill.tip }),
  };
  const detail = {
    networkFeeLamports: fill.networkFee.toString(),
    lamportDelta: fill.lamportDelta.toString(),
    tokenDelta: fill.tokenDelta.toString(),
    solUsdMicros: solUsdMicros?.toString() ?? null,
  };
  return { patch, detail };
}

/** The holding after a fill, on the average-cost method, with its USD cost alongside. */
export function getFillPosition(
  order: OrderRecord,
  current: Position | undefined,
  fill: Fill,
  solUsdMicros: bigint | null,
): PositionInput {
  const holding = current ?? { ...EMPTY_HOLDING, costUsdMicros: 0n };
  const base = { userId: order.userId, walletId: order.walletId, mint: order.mint };
  if (order.side === "buy") {
    const paid = -fill.lamportDelta;
    const next = applyBuy(holding, fill.tokenDelta, paid);
    const usd = solUsdMicros === null ? 0n : lamportsToUsdMicros(paid, solUsdMicros);
    return { ...base, ...next, costUsdMicros: holding.costUsdMicros + usd };
  }
  const sold = -fill.tokenDelta;
  const next = applySell(holding, sold, fill.lamportDelta);
  const soldOfHeld = sold > holding.amount ? holding.amount : sold;
  const releasedUsd =
    holding.amount === 0n ? 0n : (holding.costUsdMicros * soldOfHeld) / holding.amount;
  return { ...base, ...next, costUsdMicros: holding.costUsdMicros - releasedUsd };
}
