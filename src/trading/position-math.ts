/** A holding on the average-cost method, in base units and lamports. */
export interface Holding {
  readonly amount: bigint;
  readonly costLamports: bigint;
  readonly realizedPnlLamports: bigint;
}

export const EMPTY_HOLDING: Holding = { amount: 0n, costLamports: 0n, realizedPnlLamports: 0n };

/** A buy adds the tokens received and everything paid for them (commission and fees included). */
export function applyBuy(holding: Holding, tokensReceived: bigint, lamportsPaid: bigint): Holding {
  return {
    amount: holding.amount + tokensReceived,
    costLamports: holding.costLamports + lamportsPaid,
    realizedPnlLamports: holding.realizedPnlLamports,
  };
}

/**
 * A sell releases the average cost of the tokens sold (rounded down, so the remaining cost
 * never goes negative) and realizes the difference from what came back.
 */
export function applySell(holding: Holding, tokensSold: bigint, lamportsReceived: bigint): Holding {
  if (holding.amount === 0n) {
    // Tokens that arrived outside Osprey have no recorded cost: all proceeds are gain.
    return { ...holding, realizedPnlLamports: holding.realizedPnlLamports + lamportsReceived };
  }
  const sold = tokensSold > holding.amount ? holding.amount : tokensSold;
  const releasedCost = (holding.costLamports * sold) / holding.amount;
  return {
    amount: holding.amount - sold,
    costLamports: holding.costLamports - releasedCost,
    realizedPnlLamports: holding.realizedPnlLamports + lamportsReceived - releasedCost,
  };
}

/** Unrealized P&L at a value (what selling the holding would bring now). */
export function getUnrealizedPnl(holding: Holding, valueLamports: bigint): bigint {
  return valueLamports - holding.costLamports;
}

/** Lamports for `amount` base units at a price of `lamportsPerToken` whole tokens, exactly. */
export function valueAtPrice(
  amount: bigint,
  decimals: number,
  priceLamportsPerWholeToken: bigint,
): bigint {
  return (amount * priceLamportsPerWholeToken) / 10n ** BigInt(decimals);
}
