import { z } from "zod";
import { isAddress } from "../../core/addresses.js";
import { U64_MAX } from "../../core/amounts.js";
import { isUuid } from "../../core/ids.js";
import { MAX_SLIPPAGE_BPS, MIN_SLIPPAGE_BPS } from "../../trading/order-request.js";

// The fields of POST /v1/triggers bodies, each refusal naming its field (trigger-request.ts).

/** Prices: USD per whole token, a decimal string above zero with at most 18 decimals. */
const PRICE = /^(0|[1-9][0-9]{0,19})(\.[0-9]{1,18})?$/;

export const price = (field: string) =>
  z
    .string({ error: `${field} must be a decimal string of USD per whole token` })
    .regex(PRICE, `${field} must be a decimal number of USD (at most 18 decimals), e.g. "0.0123"`)
    .refine((text) => /[1-9]/.test(text), `${field} must be above zero`);

export const amount = (field: string) =>
  z
    .string({ error: `${field} must be a string of digits (base units)` })
    .regex(/^[0-9]{1,20}$/, `${field} must be a whole number of base units, as a string of digits`)
    .transform((text) => BigInt(text))
    .refine((value) => value > 0n, `${field} must be above zero`)
    .refine((value) => value <= U64_MAX, `${field} must fit in 64 bits`);

export const percent = (field: string, min: number, max: number, unit = "%") =>
  z
    .number({ error: `${field} must be a number from ${min} to ${max}` })
    .min(min, `${field} must be from ${min} to ${max}${unit}`)
    .max(max, `${field} must be from ${min} to ${max}${unit}`);

export const common = {
  walletId: z
    .string({ error: "walletId must be a wallet id" })
    .refine(isUuid, "walletId must be a wallet id"),
  mint: z
    .string({ error: "mint must be a token mint address" })
    .refine(isAddress, "mint must be a base58 token mint address"),
  expiresAt: z.iso
    .datetime({
      offset: true,
      error: "expiresAt must be an ISO 8601 time, e.g. 2030-01-01T00:00:00Z",
    })
    .transform((text) => Date.parse(text))
    .optional(),
  slippageBps: z
    .number({ error: "slippageBps must be a whole number of basis points" })
    .int("slippageBps must be a whole number of basis points")
    .min(
      MIN_SLIPPAGE_BPS,
      `slippageBps must be between ${MIN_SLIPPAGE_BPS} and ${MAX_SLIPPAGE_BPS}`,
    )
    .max(
      MAX_SLIPPAGE_BPS,
      `slippageBps must be between ${MIN_SLIPPAGE_BPS} and ${MAX_SLIPPAGE_BPS}`,
    )
    .optional(),
};
export const acceptRisk = z.boolean({ error: "acceptRisk must be true or false" }).default(false);
export const sellSize = {
  percent: percent("percent", 0.01, 100).optional(),
  amount: amount("amount").optional(),
};
export const oneSize = (sell: { percent?: number | undefined; amount?: bigint | undefined }) =>
  (sell.percent === undefined) !== (sell.amount === undefined);
export const sizeMessage = {
  message: "a sell names exactly one of percent or amount",
  path: ["percent"],
};
