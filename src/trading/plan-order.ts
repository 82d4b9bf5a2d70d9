import {
  isSolanaError,
  SOLANA_ERROR__JSON_RPC__INVALID_PARAMS,
  address as toKitAddress,
} from "@solana/kit";
import type { Address } from "../core/addresses.js";
import { OspreyError } from "../core/osprey-error.js";
import type { SafetyReport } from "../safety/safety-types.js";
import type { BuiltSwap, Quote } from "../swap/swap-client.js";
import type { OrderDeps } from "./order-deps.js";
import { DEFAULT_SLIPPAGE_BPS, type OrderRequest } from "./order-request.js";
import { SOL_MINT } from "./price-client.js";

export type BuyRequest = OrderRequest & { side: "buy" };
export type SellRequest = OrderRequest & { side: "sell" };

/** Lamports a buy keeps aside beyond its amount: a token account's rent and the fees. */
export const BUY_RESERVE_LAMPORTS = 3_000_000n;
/** Lamports a sell needs for its network fees. */
export const SELL_RESERVE_LAMPORTS = 20_000n;

/** What an order stores of its quote: from v1's `/quote` or v2's `/build`. */
export type QuotedAmounts = Pick<
  Quote,
  "outAmount" | "otherAmountThreshold" | "priceImpact" | "platformFee"
>;

/** The swap, quoted and built while the safety analysis runs, ready for the user's signature. */
export interface PreparedSwap {
  readonly api: "v1" | "v2";
  /** The swap's input in base units (lamports for a buy, tokens for a sell). */
  readonly amountIn: bigint;
  readonly quote: QuotedAmounts;
  /** v1: the swap API's transaction (the pool co-signed); v2: Osprey's, every slot empty. */
  readonly transaction: Uint8Array;
  readonly lastValidBlockHeight: bigint;
  readonly computeUnitLimit: number | null;
  /** Compute-unit price for the route's accounts; none if it could not be estimated. */
  readonly priorityFee?: bigint;
  /** v2: price × limit, rounded up, as the runtime will charge it. */
  readonly priorityFeeLamports?: bigint;
  /** v2, protected orders: the tip in the transaction and the account it pays. */
  readonly tip?: { readonly lamports: bigint; readonly account: Address } | null;
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

/**
 * The compute-unit price for the route's pools: the accounts other traders contend for (the
 * user's own wallet is not one), so one estimate serves every order on that route.
 */
async function withPriorityFee(deps: OrderDeps, quote: Quote) {
  const pools = quote.raw.routePlan.map((step) => toKitAddress(step.swapInfo.ammKey));
  const priorityFee = await deps.chain.priorityFees.estimate(pools).catch(() => undefined);
  return priorityFee === undefined ? {} : { priorityFee };
}

/** Builds the unsigned swap for a quote: no side effect, so it need not wait for the analysis. */
async function buildFor(
  deps: OrderDeps,
  amountIn: bigint,
  quote: Quote,
  owner: Address,
): Promise<PreparedSwap> {
  const fee = await withPriorityFee(deps, quote);
  const built: BuiltSwap = await deps.swapClient.buildSwap({
    quote,
    userPublicKey: owner,
    ...(deps.feeAccount ? { feeAccount: deps.feeAccount } : {}),
    ...(fee.priorityFee === undefined ? {} : { computeUnitPriceMicroLamports: fee.priorityFee }),
  });
  return {
    api: "v1",
    amountIn,
    quote,
    transaction: built.transaction,
    lastValidBlockHeight: built.lastValidBlockHeight,
    computeUnitLimit: built.computeUnitLimit,
    ...fee,
  };
}

function getOrderQuote(
  deps: OrderDeps,
  side: "buy" | "sell",
  mint: Address,
  amount: bigint,
  slippageBps: number,
) {
  return deps.swapClient.getQuote({
    inputMint: side === "buy" ? (SOL_MINT as Address) : mint,
    outputMint: side === "buy" ? mint : (SOL_MINT as Address),
    amount,
    slippageBps,
    ...(deps.feeAccount ? { platformFeeBps: deps.feeBps } : {}),
  });
}

export const readSol = (deps: OrderDeps, owner: Address) =>
  deps.chain.rpc.getBalance(toKitAddress(owner), { commitment: "confirmed" }).send();

/** What the wallet holds of one token, across all its accounts of that mint. */
async function readHolding(deps: OrderDeps, owner: Address, mint: Address): Promise<bigint> {
  return (await readTokenAccounts(deps, owner, mint)).held;
}

/** The wallet's token accounts of one mint and their total. */
export async function readTokenAccounts(
  deps: OrderDeps,
  owner: Address,
  mint: Address,
): Promise<{ held: bigint; accounts: ReadonlySet<string> }> {
  let accounts: readonly { pubkey: string; account: { data: unknown } }[];
  try {
    const response = await deps.chain.rpc
      .getTokenAccountsByOwner(
        toKitAddress(owner),
        { mint: toKitAddress(mint) },
        { encoding: "jsonParsed", commitment: "confirmed" },
      )
      .send();
    accounts = response.value;
  } catch (error) {
    // The node refuses a filter on an address that is not a mint ("could not find mint").
    if (isSolanaError(error, SOLANA_ERROR__JSON_RPC__INVALID_PARAMS))
      return { held: 0n, accounts: new Set() };
    throw error;
  }
  let held = 0n;
  for (const { account } of accounts) {
    const amount = (account.data as { parsed?: { info?: { tokenAmount?: { amount?: string } } } })
      .parsed?.info?.tokenAmount?.amount;
    if (amount !== undefined && /^[0-9]+$/.test(amount)) held += BigInt(amount);
  }
  return { held, accounts: new Set(accounts.map((entry) => entry.pubkey)) };
}

/** The build starts as soon as the quote is in; the balance check runs beside it. */
async function prepareBuy(
  deps: OrderDeps,
  request: BuyRequest,
  owner: Address,
  quote: Promise<Quote>,
): Promise<PreparedSwap> {
  const prepared = quote.then((quoted) => buildFor(deps, request.amountLamports, quoted, owner));
  prepared.catch(() => undefined); // a short balance is the better reason to give
  const sol = await readSol(deps, owner);
  assertBuyable(request, sol.value);
  return prepared;
}

/** The tokens a sell gives up, checked against what the wallet holds and its SOL for fees. */
export async function readSellAmount(
  deps: OrderDeps,
  request: SellRequest,
  owner: Address,
): Promise<bigint> {
  const [sol, held] = await Promise.all([
    readSol(deps, owner),
    readHolding(deps, owner, request.mint),
  ]);
  const amount = request.amount ?? (held * BigInt(request.percent ?? 0)) / 100n;
  if (held === 0n || amount === 0n || amount > held)
    throw insufficient("The wallet holds too little of this token.", held, amount);
  if (sol.value < SELL_RESERVE_LAMPORTS)
    throw insufficient(
      "The wallet holds too little SOL for the network fee.",
      sol.value,
      SELL_RESERVE_LAMPORTS,
    );
  return amount;
}

/** A buy needs its amount and a reserve for rent and fees. */
export function assertBuyable(request: BuyRequest, lamports: bigint): void {
  const needed = request.amountLamports + BUY_RESERVE_LAMPORTS;
  if (lamports < needed)
    throw insufficient(
      "The wallet holds too little SOL for this buy and its fees.",
      lamports,
      needed,
    );
}

async function prepareSell(
  deps: OrderDeps,
  request: SellRequest,
  owner: Address,
): Promise<PreparedSwap> {
  const amount = await readSellAmount(deps, request, owner);
  const quote = await getOrderQuote(
    deps,
    "sell",
    request.mint,
    amount,
    request.slippageBps ?? DEFAULT_SLIPPAGE_BPS,
  );
  return buildFor(deps, amount, quote, owner);
}

export type PlanStart = {
  readonly analysis: Promise<SafetyReport | null>;
} & (
  | { readonly request: BuyRequest; readonly side: "buy"; readonly quote: Promise<Quote> }
  | { readonly request: SellRequest; readonly side: "sell" }
);

/** The safety analysis of a buy's token (sells are not analysed: a holder can always sell). */
export function startAnalysis(
  deps: OrderDeps,
  request: OrderRequest,
): Promise<SafetyReport | null> {
  if (request.side === "sell") return Promise.resolve(null);
  const analysis = deps.analyzer.analyzeToken(request.mint, { freshMint: true });
  analysis.catch(() => undefined); // observed by the plan, unless the order stops before it
  return analysis;
}

/**
 * Starts what an order needs from the request alone, before the idempotency lookup and the
 * session: the safety analysis (buys only; it re-reads the mint now and reuses recent holder and
 * market facts, see `freshMint`) and a buy's quote. Neither has a side effect, so a retry or a
 * refused session only wastes them.
 */
export function startPlan(deps: OrderDeps, request: OrderRequest): PlanStart {
  if (request.side === "sell") return { request, side: "sell", analysis: Promise.resolve(null) };
  const analysis = startAnalysis(deps, request);
  const quote = getOrderQuote(
    deps,
    "buy",
    request.mint,
    request.amountLamports,
    request.slippageBps ?? DEFAULT_SLIPPAGE_BPS,
  );
  // Observed in planOrder, unless the order stops before it.
  analysis.catch(() => undefined);
  quote.catch(() => undefined);
  return { request, side: "buy", analysis, quote };
}

/**
 * Reads the balance and builds the unsigned swap while the analysis finishes, so the swap is ready
 * to sign the moment the verdict allows it. A blocking verdict wins over a failed quote or build,
 * since the order is then rejected for the token itself.
 */
export async function planOrder(
  deps: OrderDeps,
  start: PlanStart,
  owner: Address,
): Promise<OrderPlan> {
  const swap =
    start.side === "buy"
      ? prepareBuy(deps, start.request, owner, start.quote)
      : prepareSell(deps, start.request, owner);
  swap.catch(() => undefined); // observed below, unless a block makes it moot
  const report = await start.analysis;
  if (report) deps.metrics?.recordVerdict(report.verdict);
  if (report?.verdict === "block" && start.side === "buy")
    return { amountIn: start.request.amountLamports, swap: null, report };
  const prepared = await swap;
  return { amountIn: prepared.amountIn, swap: prepared, report };
}
