import { address as toKitAddress } from "@solana/kit";
import { ASSOCIATED_TOKEN_PROGRAM_ADDRESS } from "@solana-program/token";
import { DEFAULT_USER_SETTINGS, type UserSettings } from "../accounts/user-settings.js";
import {
  assembleSwapTransaction,
  getPriorityFeeLamports,
} from "../chain/assemble-swap-transaction.js";
import { PRIORITY_LEVEL_PERCENTILES, type PriorityLevel } from "../chain/priority-fee-estimator.js";
import type { Address } from "../core/addresses.js";
import { OspreyError } from "../core/osprey-error.js";
import type { SafetyReport } from "../safety/safety-types.js";
import type { BuiltSwapV2 } from "../swap/swap-v2-client.js";
import type { ComputeUnitCache, ComputeUnitKey } from "./compute-units.js";
import type { OrderDeps } from "./order-deps.js";
import type { OrderRequest } from "./order-request.js";
import {
  assertBuyable,
  type BuyRequest,
  type OrderPlan,
  type PreparedSwap,
  readSellAmount,
  readSol,
  readTokenAccounts,
  type SellRequest,
} from "./plan-order.js";
import { SOL_MINT } from "./price-client.js";

/** What an order pays beyond the swap and how it lands: the request's overrides, else settings. */
export interface TradingPreferences {
  readonly slippageBps: number;
  readonly priorityLevel: PriorityLevel;
  readonly maxPriorityFeeLamports: bigint;
  readonly mevProtection: boolean;
  /** null: the automatic tip. */
  readonly tipLamports: bigint | null;
}

/**
 * The order's overrides over the user's settings (`UserSettingsService.get` has already filled a
 * field an older document lacks with its default); without a settings service, the defaults.
 */
export function resolvePreferences(
  request: OrderRequest,
  settings: UserSettings | null,
): TradingPreferences {
  const s = settings ?? DEFAULT_USER_SETTINGS;
  return {
    slippageBps: request.slippageBps ?? s.slippageBps,
    priorityLevel: request.priorityLevel ?? s.priorityLevel,
    maxPriorityFeeLamports: request.maxPriorityFeeLamports ?? BigInt(s.maxPriorityFeeLamports),
    mevProtection: request.mevProtection ?? s.mevProtection,
    tipLamports:
      request.tipLamports !== undefined
        ? request.tipLamports
        : s.tipLamports === null
          ? null
          : BigInt(s.tipLamports),
  };
}

/**
 * The compute-unit price for the level: that percentile of recent fees on the route's pools
 * (none: no price at all), lowered so that price × limit stays within the cap.
 */
async function choosePrice(
  deps: OrderDeps,
  built: BuiltSwapV2,
  prefs: TradingPreferences,
  limit: number,
): Promise<bigint> {
  if (prefs.priorityLevel === "none") return 0n;
  const pools = built.routePlan.map((step) => toKitAddress(step.ammKey));
  const percentile = PRIORITY_LEVEL_PERCENTILES[prefs.priorityLevel];
  const price = await deps.chain.priorityFees.estimate(pools, { percentile }).catch(() => 0n);
  if (getPriorityFeeLamports(price, limit) <= prefs.maxPriorityFeeLamports) return price;
  return (prefs.maxPriorityFeeLamports * 1_000_000n) / BigInt(limit);
}

const createsTokenAccount = (built: BuiltSwapV2) =>
  built.setupInstructions.some((ix) => ix.programAddress === ASSOCIATED_TOKEN_PROGRAM_ADDRESS);

/** The route's key; an associated-token-account instruction for an account that exists creates nothing. */
function unitKey(
  side: "buy" | "sell",
  built: BuiltSwapV2,
  existing: ReadonlySet<string>,
): ComputeUnitKey {
  const createsAccount = built.setupInstructions.some(
    (ix) =>
      ix.programAddress === ASSOCIATED_TOKEN_PROGRAM_ADDRESS &&
      !existing.has(ix.accounts?.[1]?.address ?? ""),
  );
  return { side, pools: built.routePlan.map((step) => step.ammKey), createsAccount };
}

/** Limit and price (in parallel), then the transaction. */
async function assemble(
  deps: OrderDeps & { computeUnits: ComputeUnitCache },
  amountIn: bigint,
  built: BuiltSwapV2,
  owner: Address,
  prefs: TradingPreferences,
  units: Promise<number>,
  tip: Promise<{ lamports: bigint; account: string } | null>,
): Promise<PreparedSwap> {
  const payer = toKitAddress(owner);
  const limit = await units;
  const [price, tipped] = await Promise.all([choosePrice(deps, built, prefs, limit), tip]);
  const assembled = assembleSwapTransaction({
    swap: built,
    payer,
    computeUnitLimit: limit,
    computeUnitPriceMicroLamports: price,
    tip: tipped && { lamports: tipped.lamports, account: toKitAddress(tipped.account) },
  });
  return {
    api: "v2",
    amountIn,
    quote: built,
    transaction: assembled.wire,
    lastValidBlockHeight: built.lastValidBlockHeight,
    computeUnitLimit: limit,
    priorityFee: price,
    priorityFeeLamports: assembled.priorityFeeLamports,
    tip: tipped && { lamports: tipped.lamports, account: tipped.account as Address },
  };
}

function buildRequest(
  deps: OrderDeps,
  side: "buy" | "sell",
  mint: Address,
  amount: bigint,
  owner: Address,
  slippageBps: number,
) {
  return {
    inputMint: side === "buy" ? (SOL_MINT as Address) : mint,
    outputMint: side === "buy" ? mint : (SOL_MINT as Address),
    amount,
    taker: owner,
    slippageBps,
    ...(deps.feeAccount ? { platformFeeBps: deps.feeBps, feeAccount: deps.feeAccount } : {}),
  };
}

async function prepareBuy(
  deps: OrderDeps & { computeUnits: ComputeUnitCache; swapV2: NonNullable<OrderDeps["swapV2"]> },
  request: BuyRequest,
  owner: Address,
  prefs: TradingPreferences,
  tip: Promise<{ lamports: bigint; account: string } | null>,
): Promise<PreparedSwap> {
  const amount = request.amountLamports;
  const built = deps.swapV2.build(
    buildRequest(deps, "buy", request.mint, amount, owner, prefs.slippageBps),
  );
  built.catch(() => undefined); // a short balance is the better reason to give
  // One JSON-RPC batch: the SOL to pay with, and whether the token account exists already.
  const reads = Promise.all([readSol(deps, owner), readTokenAccounts(deps, owner, request.mint)]);
  reads.catch(() => undefined);
  // The limit (a simulation for a route not seen yet) starts once the answer is in: it waits
  // for the account read only when the setup would create the token account.
  const units = built.then(async (answer) => {
    const existing = createsTokenAccount(answer) ? (await reads)[1].accounts : new Set<string>();
    return deps.computeUnits.getLimit(
      unitKey("buy", answer, existing),
      answer,
      toKitAddress(owner),
    );
  });
  units.catch(() => undefined); // a short balance is the better reason to give
  const [sol] = await reads;
  assertBuyable(request, sol.value);
  return assemble(deps, amount, await built, owner, prefs, units, tip);
}

async function prepareSell(
  deps: OrderDeps & { computeUnits: ComputeUnitCache; swapV2: NonNullable<OrderDeps["swapV2"]> },
  request: SellRequest,
  owner: Address,
  prefs: TradingPreferences,
  tip: Promise<{ lamports: bigint; account: string } | null>,
): Promise<PreparedSwap> {
  const amount = await readSellAmount(deps, request, owner);
  const built = await deps.swapV2.build(
    buildRequest(deps, "sell", request.mint, amount, owner, prefs.slippageBps),
  );
  const units = deps.computeUnits.getLimit(
    unitKey("sell", built, new Set()),
    built,
    toKitAddress(owner),
  );
  return assemble(deps, amount, built, owner, prefs, units, tip);
}

/**
 * Swap API v2: one `/build` round trip (started as soon as the taker is known) gives the quote
 * and the instructions; Osprey sets the compute budget, adds the tip for a protected order and
 * compiles the transaction, all while the safety analysis (started with the request) finishes.
 */
export async function planOrderV2(
  deps: OrderDeps & { computeUnits: ComputeUnitCache },
  request: OrderRequest,
  analysis: Promise<SafetyReport | null>,
  owner: Address,
  prefs: TradingPreferences,
): Promise<OrderPlan> {
  const { swapV2, chain } = deps;
  if (!swapV2) throw new OspreyError("INTERNAL", "Swap API v2 is not configured.");
  const v2 = { ...deps, swapV2 };
  let tip: Promise<{ lamports: bigint; account: string } | null> = Promise.resolve(null);
  if (prefs.mevProtection) {
    if (!chain.tips) throw new OspreyError("MEV_PROTECTION_UNAVAILABLE");
    tip = chain.tips.resolve(prefs.tipLamports);
    tip.catch(() => undefined);
  }
  const swap =
    request.side === "buy"
      ? prepareBuy(v2, request, owner, prefs, tip)
      : prepareSell(v2, request, owner, prefs, tip);
  swap.catch(() => undefined); // observed below, unless a block makes it moot
  const report = await analysis;
  if (report) deps.metrics?.recordVerdict(report.verdict);
  if (report?.verdict === "block" && request.side === "buy")
    return { amountIn: request.amountLamports, swap: null, report };
  const prepared = await swap;
  return { amountIn: prepared.amountIn, swap: prepared, report };
}
