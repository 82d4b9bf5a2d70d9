import { z } from "zod";
import type { Address } from "../../core/addresses.js";
import { isAddress } from "../../core/addresses.js";
import { OspreyError } from "../../core/osprey-error.js";
import type { SwapClient } from "../../swap/swap-client.js";
import { MAX_SLIPPAGE_BPS, MIN_SLIPPAGE_BPS } from "../../trading/order-request.js";
import { SOL_MINT } from "../../trading/price-client.js";
import type { RouteModule } from "../api-types.js";
import { queryInteger } from "../query-integer.js";
import type { RequireAccess } from "../route-access.js";

export interface QuoteRoutesOptions {
  readonly swapClient: Pick<SwapClient, "getQuote">;
  readonly requireAccess: RequireAccess;
  /** The operator's commission, quoted as it will be charged; 0 when no fee wallet is set. */
  readonly feeBps: number;
}

const querystring = z.object({
  side: z.enum(["buy", "sell"]),
  mint: z.string().refine(isAddress, "mint must be a base58 token mint address"),
  amount: z
    .string()
    .regex(/^[1-9][0-9]{0,19}$/, "amount must be a whole number of base units above zero")
    .describe("Lamports to spend (buy) or token base units to sell"),
  slippageBps: queryInteger(MIN_SLIPPAGE_BPS, MAX_SLIPPAGE_BPS).default(100),
});

/** GET /v1/quote — what an order would get now: expected out, price impact, fee, min received. */
export function createQuoteRoutes(options: QuoteRoutesOptions): RouteModule {
  return (app) => {
    app.get(
      "/v1/quote",
      {
        onRequest: options.requireAccess("read"),
        schema: {
          tags: ["orders"],
          summary: "Quote a buy or a sell (no order is created)",
          querystring,
        },
      },
      async (request) => {
        const { side, mint, amount, slippageBps } = request.query;
        if (mint === SOL_MINT)
          throw new OspreyError("INVALID_INPUT", "Quote a token against SOL, not SOL itself.");
        const quote = await options.swapClient.getQuote({
          inputMint: (side === "buy" ? SOL_MINT : mint) as Address,
          outputMint: (side === "buy" ? mint : SOL_MINT) as Address,
          amount: BigInt(amount),
          slippageBps,
          ...(options.feeBps > 0 ? { platformFeeBps: options.feeBps } : {}),
        });
        return {
          side,
          mint,
          inAmount: quote.inAmount.toString(),
          outAmount: quote.outAmount.toString(),
          minAmountOut: quote.otherAmountThreshold.toString(),
          priceImpact: quote.priceImpact,
          feeLamports: quote.platformFee?.amount.toString() ?? "0",
          feeBps: quote.platformFee?.feeBps ?? 0,
          slippageBps,
          routes: quote.routeLabels,
        };
      },
    );
  };
}
