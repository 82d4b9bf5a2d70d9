import type { Address } from "../core/addresses.js";
import { isOspreyError } from "../core/osprey-error.js";
import type { Quote, SwapClient } from "../swap/swap-client.js";
import { describeError } from "./readable.js";

export const NATIVE_MINT = "So11111111111111111111111111111111111111112" as Address;
/** Slippage only bounds the threshold; the analysis reads expected amounts, not minimums. */
const ANALYSIS_SLIPPAGE_BPS = 100;

export type QuoteSource = Pick<SwapClient, "getQuote">;

export type QuoteOutcome =
  | { readonly kind: "quoted"; readonly quote: Quote }
  | { readonly kind: "no-route" }
  | { readonly kind: "error"; readonly reason: string };

export interface MarketFacts {
  /** SOL → token for the buy size. */
  readonly buy: QuoteOutcome;
  /** Token → SOL for what the buy would receive (or a probe amount when the buy had no route). */
  readonly sell: QuoteOutcome;
  /** Whether `sell` sells the buy's output (so a round trip can be measured). */
  readonly sellIsRoundTrip: boolean;
}

async function quote(
  source: QuoteSource,
  input: Address,
  output: Address,
  amount: bigint,
): Promise<QuoteOutcome> {
  try {
    return {
      kind: "quoted",
      quote: await source.getQuote({
        inputMint: input,
        outputMint: output,
        amount,
        slippageBps: ANALYSIS_SLIPPAGE_BPS,
      }),
    };
  } catch (error) {
    if (isOspreyError(error, "NO_ROUTE")) return { kind: "no-route" };
    return { kind: "error", reason: describeError(error) };
  }
}

/**
 * Two sequential quotes (buy, then sell its output), run alongside the chain reads. When the buy
 * has no route, selling a probe amount (one whole token, once decimals are known) still tells
 * whether holders can exit.
 */
export async function readMarketFacts(
  source: QuoteSource,
  mint: Address,
  buyLamports: bigint,
  probeAmount: () => Promise<bigint | null>,
  quoteMint: Address = NATIVE_MINT,
): Promise<MarketFacts> {
  const buy = await quote(source, quoteMint, mint, buyLamports);
  if (buy.kind === "quoted" && buy.quote.outAmount > 0n) {
    return {
      buy,
      sell: await quote(source, mint, quoteMint, buy.quote.outAmount),
      sellIsRoundTrip: true,
    };
  }
  const probe = await probeAmount().catch(() => null);
  if (probe === null || probe <= 0n) {
    return {
      buy,
      sell: { kind: "error", reason: "there is nothing to sell" },
      sellIsRoundTrip: false,
    };
  }
  return { buy, sell: await quote(source, mint, quoteMint, probe), sellIsRoundTrip: false };
}

/** The AMM accounts the quotes routed through: their owners hold liquidity, not a whale's bag. */
export function getRouteAmmKeys(facts: MarketFacts): string[] {
  return [facts.buy, facts.sell].flatMap((outcome) =>
    outcome.kind === "quoted"
      ? outcome.quote.raw.routePlan.map((step) => step.swapInfo.ammKey)
      : [],
  );
}

/**
 * The fraction of a leg's value its AMMs announce as fees. Jupiter's routePlan carries
 * feeAmount/feeMint on some versions; the typed client may drop them, which counts as no fee.
 */
export function getRouteFeeFraction(quote: Quote): number {
  let kept = 1;
  for (const step of quote.raw.routePlan) {
    const info = step.swapInfo as typeof step.swapInfo & { feeAmount?: unknown; feeMint?: unknown };
    const fee = Number(info.feeAmount ?? 0);
    const base =
      info.feeMint === info.inputMint ? Number(info.inAmount) : Number(info.outAmount) + fee;
    if (Number.isFinite(fee) && fee > 0 && base > 0) kept *= 1 - Math.min(1, fee / base);
  }
  return 1 - kept;
}
