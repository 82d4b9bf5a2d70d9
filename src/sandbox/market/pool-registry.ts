import type { Address } from "@solana/kit";
import type { Pool } from "./pool.js";

/** Which way a trade crosses a pool: buying the base token with the quote side, or selling it. */
export type TradeDirection = "buy" | "sell";

export interface PoolRegistry {
  add(pool: Pool): void;
  all(): readonly Pool[];
  /** The direct pool between two mints, if any (no multi-hop routes in the sandbox). */
  find(inputMint: Address, outputMint: Address): { pool: Pool; direction: TradeDirection } | null;
  /** Whether any pool trades this mint. */
  isTradable(mint: Address): boolean;
}

export function createPoolRegistry(): PoolRegistry {
  const pools: Pool[] = [];
  const byPair = new Map<string, Pool>();
  const mints = new Set<Address>();
  return {
    add(pool) {
      pools.push(pool);
      byPair.set(`${pool.quote.mint}:${pool.base.mint}`, pool);
      mints.add(pool.base.mint);
      mints.add(pool.quote.mint);
    },
    all: () => pools,
    find(inputMint, outputMint) {
      const buy = byPair.get(`${inputMint}:${outputMint}`);
      if (buy) return { pool: buy, direction: "buy" };
      const sell = byPair.get(`${outputMint}:${inputMint}`);
      return sell ? { pool: sell, direction: "sell" } : null;
    },
    isTradable: (mint) => mints.has(mint),
  };
}
