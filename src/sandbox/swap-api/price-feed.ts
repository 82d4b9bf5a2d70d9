import type { Address } from "@solana/kit";
import type { SandboxChain } from "../index.js";
import { NATIVE_MINT, type Pool, readPoolReserves } from "../market/pool.js";
import type { PoolRegistry } from "../market/pool-registry.js";
import { parseAddress } from "./request-values.js";
import { invalidRequest } from "./swap-api-error.js";

export interface UsdPrice {
  usdPrice: number;
  blockId: number;
  decimals: number;
  priceChange24h: number;
  liquidity: number;
  createdAt: string;
}

export interface PriceFeed {
  /** Jupiter Price API v3: prices of the known mints among `ids`; unknown mints are left out. */
  getPrices(ids: readonly Address[]): Record<string, UsdPrice>;
  getPrice(mint: Address): number | null;
}

const MAX_IDS = 50;

export function parsePriceIds(value: string | null): Address[] {
  const ids = (value ?? "")
    .split(",")
    .map((id) => id.trim())
    .filter((id) => id.length > 0);
  if (ids.length === 0) throw invalidRequest("ids is required");
  if (ids.length > MAX_IDS) throw invalidRequest(`at most ${MAX_IDS} ids per request`);
  return ids.map((id) => parseAddress(id, "ids"));
}

/**
 * USD prices from pool reserves: the stable is $1, SOL goes through the SOL/stable pool, and each
 * token through its own pool. The 24h change is measured against the first price seen.
 */
export function createPriceFeed(options: {
  chain: SandboxChain;
  pools: PoolRegistry;
  stableMint: Address;
  decimalsOf(mint: Address): number | null;
  now?: () => number;
}): PriceFeed {
  const { chain, pools, stableMint } = options;
  const now = options.now ?? Date.now;
  const firstSeen = new Map<Address, { price: number; at: string }>();
  const decimals = (mint: Address) => (mint === NATIVE_MINT ? 9 : options.decimalsOf(mint));
  const quoteUsd = (mint: Address, depth = 0): number | null => {
    if (mint === stableMint) return 1;
    if (depth > 2) return null;
    const pool =
      pools.all().find((p) => p.base.mint === mint) ?? solStablePool(pools.all(), mint, stableMint);
    if (!pool) return null;
    const reserves = readPoolReserves(chain, pool);
    const baseDecimals = decimals(pool.base.mint);
    const quoteDecimals = decimals(pool.quote.mint);
    if (reserves.base === 0n || baseDecimals === null || quoteDecimals === null) return null;
    const isBase = pool.base.mint === mint;
    const otherPrice = quoteUsd(isBase ? pool.quote.mint : pool.base.mint, depth + 1);
    if (otherPrice === null) return null;
    const ratio =
      Number(reserves.quote) / 10 ** quoteDecimals / (Number(reserves.base) / 10 ** baseDecimals);
    // The SOL/stable pool lists SOL as its quote side, so SOL's price is the inverse ratio.
    return isBase ? ratio * otherPrice : otherPrice / ratio;
  };
  const getPrice = (mint: Address) => quoteUsd(mint);
  return {
    getPrice,
    getPrices(ids) {
      const result: Record<string, UsdPrice> = {};
      const blockId = Number(chain.getSlot("confirmed"));
      for (const id of ids) {
        const price = getPrice(id);
        const places = decimals(id);
        if (price === null || places === null) continue;
        let first = firstSeen.get(id);
        if (!first) {
          first = { price, at: new Date(now()).toISOString() };
          firstSeen.set(id, first);
        }
        result[id] = {
          usdPrice: price,
          blockId,
          decimals: places,
          priceChange24h: first.price === 0 ? 0 : ((price - first.price) / first.price) * 100,
          liquidity: liquidityUsd(chain, pools.all(), id, getPrice, decimals),
          createdAt: first.at,
        };
      }
      return result;
    },
  };
}

function solStablePool(pools: readonly Pool[], mint: Address, stable: Address): Pool | undefined {
  return pools.find((p) => p.quote.mint === mint && p.base.mint === stable);
}

function liquidityUsd(
  chain: SandboxChain,
  pools: readonly Pool[],
  mint: Address,
  price: (mint: Address) => number | null,
  decimals: (mint: Address) => number | null,
): number {
  let total = 0;
  for (const pool of pools) {
    if (pool.base.mint !== mint && pool.quote.mint !== mint) continue;
    const reserves = readPoolReserves(chain, pool);
    for (const [side, amount] of [
      [pool.base.mint, reserves.base],
      [pool.quote.mint, reserves.quote],
    ] as const) {
      const usd = price(side);
      const places = decimals(side);
      if (usd !== null && places !== null) total += (Number(amount) / 10 ** places) * usd;
    }
  }
  return Math.round(total * 100) / 100;
}
