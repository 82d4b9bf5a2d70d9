import { address as toKitAddress } from "@solana/kit";
import type { Address } from "../core/addresses.js";
import type { UserId } from "../core/ids.js";
import type { Position } from "../store/repositories/positions-repository.js";
import type { OrderDeps } from "./order-deps.js";
import { getUnrealizedPnl } from "./position-math.js";
import { formatUsdMicros, lamportsToUsdMicros, SOL_MINT } from "./price-client.js";

type PositionDeps = Pick<OrderDeps, "store" | "swapClient" | "prices" | "chain">;

/** What the holding would bring now: a sell quote first, the price API when there is no route. */
async function getValueLamports(
  deps: PositionDeps,
  position: Position,
  decimals: number | null,
  solUsdMicros: bigint | null,
): Promise<{ lamports: bigint; source: "quote" | "price-api" } | null> {
  if (position.amount === 0n) return { lamports: 0n, source: "quote" };
  try {
    const quote = await deps.swapClient.getQuote({
      inputMint: position.mint as Address,
      outputMint: SOL_MINT as Address,
      amount: position.amount,
      slippageBps: 100,
    });
    return { lamports: quote.outAmount, source: "quote" };
  } catch {
    const tokenUsd = await deps.prices.getUsdMicros(position.mint).catch(() => null);
    if (tokenUsd === null || solUsdMicros === null || solUsdMicros === 0n || decimals === null)
      return null;
    const usd = (position.amount * tokenUsd) / 10n ** BigInt(decimals);
    return { lamports: (usd * 1_000_000_000n) / solUsdMicros, source: "price-api" };
  }
}

async function getDecimals(deps: PositionDeps, mint: string): Promise<number | null> {
  try {
    // A commitment is required: without one kit sends `{}`, which a validator refuses.
    const supply = await deps.chain.rpc
      .getTokenSupply(toKitAddress(mint), { commitment: "confirmed" })
      .send();
    return supply.value.decimals;
  } catch {
    return null;
  }
}

/** The user's holdings with average cost (SOL and USD) and realized and unrealized P&L. */
export async function getPositions(deps: PositionDeps, userId: UserId) {
  const [positions, solUsdMicros] = await Promise.all([
    deps.store.positions.listForUser(userId),
    deps.prices.getUsdMicros(SOL_MINT).catch(() => null),
  ]);
  const usd = (lamports: bigint | null) =>
    lamports === null || solUsdMicros === null
      ? null
      : formatUsdMicros(lamportsToUsdMicros(lamports, solUsdMicros));
  return Promise.all(
    positions.map(async (position) => {
      const decimals = await getDecimals(deps, position.mint);
      const value = await getValueLamports(deps, position, decimals, solUsdMicros);
      const unit = decimals === null ? null : 10n ** BigInt(decimals);
      const perToken = (total: bigint) =>
        unit === null || position.amount === 0n ? null : (total * unit) / position.amount;
      const avgUsd = perToken(position.costUsdMicros);
      const unrealized = value === null ? null : getUnrealizedPnl(position, value.lamports);
      return {
        walletId: position.walletId,
        mint: position.mint,
        amount: position.amount.toString(),
        decimals,
        costLamports: position.costLamports.toString(),
        costUsd: formatUsdMicros(position.costUsdMicros),
        avgCostLamports: perToken(position.costLamports)?.toString() ?? null,
        avgCostUsd: avgUsd === null ? null : formatUsdMicros(avgUsd),
        realizedPnlLamports: position.realizedPnlLamports.toString(),
        realizedPnlUsd: usd(position.realizedPnlLamports),
        valueLamports: value?.lamports.toString() ?? null,
        valueUsd: usd(value?.lamports ?? null),
        unrealizedPnlLamports: unrealized?.toString() ?? null,
        unrealizedPnlUsd: usd(unrealized),
        priceSource: value?.source ?? null,
        updatedAt: new Date(position.updatedAt).toISOString(),
      };
    }),
  );
}
