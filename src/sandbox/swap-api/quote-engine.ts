import type { Address } from "@solana/kit";
import { TOKEN_PROGRAM } from "../../core/token-programs.js";
import type { SandboxChain } from "../index.js";
import type { MarketLookupTable } from "../market/market-lookup-table.js";
import {
  getEpoch,
  getGrossForNet,
  getTransferFee,
  type MintState,
  readMintState,
} from "../market/mint-state.js";
import { NATIVE_MINT, type Pool, readPoolReserves } from "../market/pool.js";
import type { PoolRegistry, TradeDirection } from "../market/pool-registry.js";
import {
  computeExactIn,
  computeExactOut,
  type FeeSide,
  type RouteAmounts,
  type RouteCurve,
} from "../market/route-math.js";
import { SwapApiError } from "./swap-api-error.js";

export interface RouteRequest {
  inputMint: Address;
  outputMint: Address;
  amount: bigint;
  swapMode: "ExactIn" | "ExactOut";
  platformFeeBps: number;
  /** Where the platform fee is taken; by default the pool's SOL/stable side (ExactOut: input). */
  feeSide?: FeeSide;
}

export interface PricedRoute {
  pool: Pool;
  direction: TradeDirection;
  inMint: MintState;
  outMint: MintState;
  amounts: RouteAmounts;
  slot: bigint;
  epoch: bigint;
}

export interface QuoteEngine {
  readonly chain: SandboxChain;
  readonly pools: PoolRegistry;
  /** The table routes load the pools' accounts from, once active; null when there is none. */
  getLookupTable(): MarketLookupTable | null;
  /** Prices a trade against the chain's current reserves; throws a SwapApiError when it can't. */
  route(request: RouteRequest): PricedRoute;
  getMint(mint: Address): MintState | null;
}

const NATIVE_STATE: MintState = {
  address: NATIVE_MINT,
  program: TOKEN_PROGRAM,
  decimals: 9,
  supply: 0n,
  mintAuthority: null,
  freezeAuthority: null,
  transferFee: null,
  extensions: [],
};

export function createQuoteEngine(
  chain: SandboxChain,
  pools: PoolRegistry,
  lookupTable: MarketLookupTable | null = null,
): QuoteEngine {
  // Decoding a mint is most of a quote's cost; within one slot a mint's fee and hook settings
  // are taken as fixed (Token-2022 fee changes only apply from a later epoch anyway).
  const mints = new Map<Address, { slot: bigint; state: MintState | null }>();
  const getMint = (mint: Address) => {
    if (mint === NATIVE_MINT) return NATIVE_STATE;
    if (!pools.isTradable(mint)) return readMintState(chain, mint);
    const slot = chain.getSlot("processed");
    const cached = mints.get(mint);
    if (cached && cached.slot === slot) return cached.state;
    const state = readMintState(chain, mint);
    mints.set(mint, { slot, state });
    return state;
  };
  return {
    chain,
    pools,
    getMint,
    // A table extended in this slot would not resolve yet: until then routes name every account.
    getLookupTable: () =>
      lookupTable && chain.getSlot("processed") >= lookupTable.activeFromSlot ? lookupTable : null,
    route(request) {
      const { inputMint, outputMint } = request;
      if (inputMint === outputMint) {
        throw new SwapApiError(
          "CIRCULAR_ARBITRAGE_IS_DISABLED",
          "inputMint and outputMint are the same",
        );
      }
      for (const mint of [inputMint, outputMint]) {
        if (!pools.isTradable(mint)) {
          throw new SwapApiError("TOKEN_NOT_TRADABLE", `The token ${mint} is not tradable`);
        }
      }
      const found = pools.find(inputMint, outputMint);
      if (!found) throw new SwapApiError("COULD_NOT_FIND_ANY_ROUTE", "Could not find any route");
      const { pool, direction } = found;
      const inMint = getMint(inputMint);
      const outMint = getMint(outputMint);
      if (!inMint || !outMint)
        throw new SwapApiError("TOKEN_NOT_TRADABLE", "The mint account is gone");
      const epoch = getEpoch(chain);
      const reserves = readPoolReserves(chain, pool);
      const curve = buildCurve(pool, direction, reserves, inMint, outMint, epoch);
      const feeSide =
        request.swapMode === "ExactOut"
          ? "input"
          : (request.feeSide ?? (direction === "buy" ? "input" : "output"));
      const amounts =
        request.swapMode === "ExactIn"
          ? computeExactIn(curve, request.amount, request.platformFeeBps, feeSide)
          : computeExactOut(curve, request.amount, request.platformFeeBps);
      if (!amounts) {
        throw new SwapApiError(
          "COULD_NOT_FIND_ANY_ROUTE",
          request.swapMode === "ExactOut"
            ? "Could not find any route: the pool cannot deliver that amount"
            : "Could not find any route: the amount is too small to trade",
        );
      }
      return { pool, direction, inMint, outMint, amounts, slot: chain.getSlot("processed"), epoch };
    },
  };
}

function buildCurve(
  pool: Pool,
  direction: TradeDirection,
  reserves: { base: bigint; quote: bigint },
  inMint: MintState,
  outMint: MintState,
  epoch: bigint,
): RouteCurve {
  // Burn-and-mint moves no tokens between accounts, so no transfer fee applies to it.
  const feeless = pool.baseMode === "mint-burn";
  const fee = (mint: MintState) => (amount: bigint) =>
    feeless ? 0n : getTransferFee(mint, epoch, amount);
  const gross = (mint: MintState) => (net: bigint) =>
    feeless ? net : getGrossForNet(mint, epoch, net);
  const buy = direction === "buy";
  return {
    reserveIn: buy ? reserves.quote : reserves.base,
    reserveOut: buy ? reserves.base : reserves.quote,
    poolFeeBps: pool.feeBps,
    inTransferFee: fee(inMint),
    outTransferFee: fee(outMint),
    inGrossForNet: gross(inMint),
    outGrossForNet: gross(outMint),
  };
}
