import { type Address, address } from "@solana/kit";
import type { SandboxStack } from "../../../src/cli/start-sandbox-stack.js";
import type { Pool } from "../../../src/sandbox/market/pool.js";

/** A sandbox stack, or anything holding one (the trading sandbox of `trading-setup.ts`). */
export type MarketStack = SandboxStack | { readonly stack: SandboxStack };

function stackOf(market: MarketStack): SandboxStack {
  return "stack" in market ? market.stack : market;
}

function poolOf(stack: SandboxStack, mint: string): Pool {
  const pool = stack.market.market.pools.all().find((p) => p.base.mint === mint);
  if (!pool) throw new Error(`no sandbox pool trades ${mint}`);
  return pool;
}

/** The token amount of an SPL / Token-2022 account lives at bytes 64..72. */
function writeTokenAmount(stack: SandboxStack, account: Address, amount: bigint): void {
  const chain = stack.sandbox.chain;
  const current = chain.getAccount(account);
  if (!current?.data || current.data.length < 165)
    throw new Error(`${account} is no token account`);
  const data = new Uint8Array(current.data);
  new DataView(data.buffer).setBigUint64(64, amount, true);
  chain.setAccount({
    address: account,
    lamports: current.lamports,
    owner: current.owner,
    data,
    executable: current.executable,
  });
}

/** The USD price the sandbox's price feed computes right now (from the pool reserves). */
export function currentPriceUsd(market: MarketStack, mint: string): number {
  const price = stackOf(market).market.prices.getPrice(address(mint));
  if (price === null) throw new Error(`the sandbox has no price for ${mint}`);
  return price;
}

/**
 * Multiplies a token's USD price by `factor` by resizing the token side of its pool: the SOL
 * side (the liquidity a sell meets) stays as it is, so quotes stay realistic. The next price
 * API answer and quote see it at once.
 */
export function scalePrice(market: MarketStack, mint: string, factor: number): number {
  if (!(factor > 0) || !Number.isFinite(factor)) throw new Error(`bad price factor ${factor}`);
  const stack = stackOf(market);
  const pool = poolOf(stack, mint);
  const tokenAccount = pool.base.address;
  const data = stack.sandbox.chain.getAccount(tokenAccount)?.data;
  if (!data) throw new Error(`pool of ${mint} has no token account`);
  const reserve = new DataView(data.buffer, data.byteOffset, data.byteLength).getBigUint64(
    64,
    true,
  );
  // price ∝ quote / base: dividing the base reserve by `factor` multiplies the price by it.
  const scaled = BigInt(Math.max(1, Math.round(Number(reserve) / factor)));
  writeTokenAmount(stack, tokenAccount, scaled);
  return currentPriceUsd(stack, mint);
}

/** Sets a token's USD price (within a part in a million); returns the feed's new price. */
export function setPriceUsd(market: MarketStack, mint: string, usd: number): number {
  if (!(usd > 0)) throw new Error(`bad price ${usd}`);
  let price = currentPriceUsd(market, mint);
  // Rounding the reserve to whole base units can leave a tiny error: one more step fixes it.
  for (let i = 0; i < 3 && Math.abs(price / usd - 1) > 1e-6; i++) {
    price = scalePrice(market, mint, usd / price);
  }
  return price;
}

/** The USD price as the stack's price API answers it (what Osprey's watcher reads). */
export async function getPriceUsd(market: MarketStack, mint: string): Promise<number> {
  const url = `${stackOf(market).ready.priceApi.replace(/\/+$/, "")}?ids=${mint}`;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`price API answered ${response.status}`);
  const body = (await response.json()) as Record<string, { usdPrice?: number } | undefined>;
  const price = body[mint]?.usdPrice;
  if (typeof price !== "number") throw new Error(`price API has no price for ${mint}`);
  return price;
}

/** SOL's USD price from the price API (the sandbox's SOL/stable pool). */
export async function getSolPriceUsd(market: MarketStack): Promise<number> {
  return getPriceUsd(market, "So11111111111111111111111111111111111111112");
}
