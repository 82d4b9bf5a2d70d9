import { address as toKitAddress } from "@solana/kit";
import type { Address } from "../core/addresses.js";
import { OspreyError } from "../core/osprey-error.js";
import type { SafetyReport } from "../safety/safety-types.js";
import type { BuiltSwap, Quote } from "../swap/swap-client.js";
import { getWalletBalances } from "../wallet/get-wallet-balances.js";
import type { OrderDeps } from "./order-deps.js";
import type { OrderRequest } from "./order-request.js";
import { SOL_MINT } from "./price-client.js";

/** Lamports a buy keeps aside beyond its amount: a token account's rent and the fees. */
export const BUY_RESERVE_LAMPORTS = 3_000_000n;
/** Lamports a sell needs for its network fees. */
export const SELL_RESERVE_LAMPORTS = 20_000n;

/** The unsigned swap, quoted and built while the safety analysis runs. */
export interface PreparedSwap {
  /** The swap's input in base units (lamports for a buy, tokens for a sell). */
  readonly amountIn: bigint;
  readonly quote: Quote;
  readonly built: BuiltSwap;
  /** Compute-unit price for the route's accounts; none if it could not be estimated. */
  readonly priorityFee?: bigint;
}

export interface OrderPlan {
  readonly amountIn: bigint;
  /** Null when a blocking verdict made the swap moot. */
  readonly swap: PreparedSwap | null;
  /** Buys only: sells are never blocked, so a holder can always get out. */
  readonly report: SafetyReport | null;
}

function insufficient(message: string, held: bigint, needed: bigint): OspreyError {
  return new OspreyError("INSUFFICIENT_FUNDS", message, {
    held: held.toString(),
    needed: needed.toString(),
  });
}

/** The fee estimate needs the route's accounts, so it follows the quote, still beside the analysis. */
async function withPriorityFee(deps: OrderDeps, quote: Quote, owner: Address) {
  const writable = [...quote.raw.routePlan.map((step) => step.swapInfo.ammKey), owner];
  const priorityFee = await deps.chain.priorityFees
    .estimate(writable.map((key) => toKitAddress(key)))
    .catch(() => undefined);
  return priorityFee === undefined ? {} : { priorityFee };
}

/** Builds the unsigned swap for a quote: no side effect, so it need not wait for the analysis. */
async function buildFor(
  deps: OrderDeps,
  amountIn: bigint,
  quote: Quote,
  owner: Address,
): Promise<PreparedSwap> {
  const fee = await withPriorityFee(deps, quote, owner);
  const built = await deps.swapClient.buildSwap({
    quote,
    userPublicKey: owner,
    ...(deps.feeWallet ? { feeAccount: deps.feeWallet } : {}),
    ...(fee.priorityFee === undefined ? {} : { computeUnitPriceMicroLamports: fee.priorityFee }),
  });
  return { amountIn, quote, built, ...fee };
}

async function prepareSwap(
  deps: OrderDeps,
  request: OrderRequest,
  owner: Address,
): Promise<PreparedSwap> {
  const fee = deps.feeWallet ? { platformFeeBps: deps.feeBps } : {};
  if (request.side === "buy") {
    // A buy's quote does not depend on the balance: read both at once.
    const [balances, quote] = await Promise.all([
      getWalletBalances(deps.chain.rpc, toKitAddress(owner)),
      deps.swapClient.getQuote({
        inputMint: SOL_MINT as Address,
        outputMint: request.mint,
        amount: request.amountLamports,
        slippageBps: request.slippageBps,
        ...fee,
      }),
    ]);
    const needed = request.amountLamports + BUY_RESERVE_LAMPORTS;
    if (balances.solLamports < needed)
      throw insufficient(
        "The wallet holds too little SOL for this buy and its fees.",
        balances.solLamports,
        needed,
      );
    return buildFor(deps, request.amountLamports, quote, owner);
  }
  const balances = await getWalletBalances(deps.chain.rpc, toKitAddress(owner));
  const held = balances.tokens
    .filter((token) => token.mint === request.mint)
    .reduce((sum, token) => sum + token.amount, 0n);
  const amount = request.amount ?? (held * BigInt(request.percent ?? 0)) / 100n;
  if (held === 0n || amount === 0n || amount > held)
    throw insufficient("The wallet holds too little of this token.", held, amount);
  if (balances.solLamports < SELL_RESERVE_LAMPORTS)
    throw insufficient(
      "The wallet holds too little SOL for the network fee.",
      balances.solLamports,
      SELL_RESERVE_LAMPORTS,
    );
  const quote = await deps.swapClient.getQuote({
    inputMint: request.mint,
    outputMint: SOL_MINT as Address,
    amount,
    slippageBps: request.slippageBps,
    ...fee,
  });
  return buildFor(deps, amount, quote, owner);
}

/**
 * The safety analysis (buys only) beside the balance read, quote and swap build, so the swap is
 * ready to sign the moment the verdict allows it. The analysis re-reads the mint now and reuses
 * recent holder and market facts (`freshMint`). A blocking verdict wins over a failed quote or
 * build, since the order is then rejected for the token itself.
 */
export async function planOrder(
  deps: OrderDeps,
  request: OrderRequest,
  owner: Address,
): Promise<OrderPlan> {
  const swap = prepareSwap(deps, request, owner);
  swap.catch(() => undefined); // observed below, unless a block makes it moot
  const report =
    request.side === "buy"
      ? await deps.analyzer.analyzeToken(request.mint, { freshMint: true })
      : null;
  if (report) deps.metrics?.recordVerdict(report.verdict);
  if (report?.verdict === "block" && request.side === "buy")
    return { amountIn: request.amountLamports, swap: null, report };
  const prepared = await swap;
  return { amountIn: prepared.amountIn, swap: prepared, report };
}
