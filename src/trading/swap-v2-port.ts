import type { Instruction } from "@solana/kit";
import type { SwapInstructions } from "../chain/assemble-swap-transaction.js";
import type { Address } from "../core/addresses.js";

/**
 * What the order engine uses of the Swap API v2 client (`src/swap/swap-v2-client.ts`,
 * CONTRACTS19 §1): `/build` answers the quote and the swap's instructions in one round trip.
 */
export interface BuildRequestV2 {
  readonly inputMint: Address;
  readonly outputMint: Address;
  readonly amount: bigint;
  readonly taker: Address;
  readonly slippageBps: number;
  readonly platformFeeBps?: number;
  readonly feeAccount?: Address;
}

export interface BuiltSwapV2Like extends SwapInstructions {
  readonly inAmount: bigint;
  readonly outAmount: bigint;
  readonly otherAmountThreshold: bigint;
  readonly priceImpact: number;
  readonly platformFee: { readonly amount: bigint; readonly feeBps: number } | null;
  readonly routePlan: readonly { readonly ammKey: string; readonly label: string }[];
  readonly computeBudgetInstructions: readonly Instruction[];
  readonly lastValidBlockHeight: bigint;
}

export interface SwapV2Builder {
  build(request: BuildRequestV2): Promise<BuiltSwapV2Like>;
}
