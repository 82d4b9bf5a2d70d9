import { createHash } from "node:crypto";
import { z } from "zod";
import {
  lamportsCapSchema,
  mevProtectionSchema,
  priorityLevelSchema,
  tipLamportsSchema,
} from "../accounts/user-settings.js";
import type { PriorityLevel } from "../chain/priority-fee-estimator.js";
import { isAddress, type TokenMint } from "../core/addresses.js";
import { U64_MAX } from "../core/amounts.js";
import type { WalletId } from "../core/ids.js";
import { OspreyError } from "../core/osprey-error.js";

export const MIN_SLIPPAGE_BPS = 1;
export const MAX_SLIPPAGE_BPS = 5_000;
export const DEFAULT_SLIPPAGE_BPS = 100;

const amountString = (field: string) =>
  z
    .string({ error: `${field} must be a string of digits (base units)` })
    .regex(/^[0-9]{1,20}$/, `${field} must be a whole number of base units, as a string of digits`)
    .transform((text) => BigInt(text))
    .refine((value) => value > 0n, `${field} must be above zero`)
    .refine((value) => value <= U64_MAX, `${field} must fit in 64 bits`);

const mint = z.string().refine(isAddress, "mint must be a base58 token mint address");
const slippageBps = z
  .number({ error: "slippageBps must be a whole number of basis points" })
  .int("slippageBps must be a whole number of basis points")
  .min(MIN_SLIPPAGE_BPS, `slippageBps must be between ${MIN_SLIPPAGE_BPS} and ${MAX_SLIPPAGE_BPS}`)
  .max(MAX_SLIPPAGE_BPS, `slippageBps must be between ${MIN_SLIPPAGE_BPS} and ${MAX_SLIPPAGE_BPS}`)
  .optional();

/**
 * Per-order overrides of the user's trading settings, validated by the settings' own field
 * schemas (`src/accounts/user-settings.ts`); a field left out comes from the settings.
 * `tipLamports: null` asks for the automatic tip.
 */
const overrides = {
  priorityLevel: priorityLevelSchema.optional(),
  maxPriorityFeeLamports: lamportsCapSchema.transform((text) => BigInt(text)).optional(),
  mevProtection: mevProtectionSchema.optional(),
  tipLamports: tipLamportsSchema
    .transform((text) => (text === null ? null : BigInt(text)))
    .optional(),
};

/** The body of POST /v1/orders, as the HTTP layer and the CLI both validate it. */
export const orderRequestSchema = z.discriminatedUnion("side", [
  z.strictObject({
    side: z.literal("buy"),
    mint,
    amountLamports: amountString("amountLamports"),
    slippageBps,
    acceptRisk: z.boolean().default(false),
    ...overrides,
  }),
  z
    .strictObject({
      side: z.literal("sell"),
      mint,
      amount: amountString("amount").optional(),
      percent: z
        .number({ error: "percent must be a number from 1 to 100" })
        .int("percent must be a whole number from 1 to 100")
        .min(1, "percent must be from 1 to 100")
        .max(100, "percent must be from 1 to 100")
        .optional(),
      slippageBps,
      acceptRisk: z.boolean().default(false),
      ...overrides,
    })
    .refine((sell) => (sell.amount === undefined) !== (sell.percent === undefined), {
      message: "a sell names exactly one of amount or percent",
    }),
]);

/** What an order may override of the user's settings; absent: the setting applies. */
export interface OrderOverrides {
  /** Absent: the user's default slippage (Swap API v2), or 100 bps (v1, as before settings). */
  readonly slippageBps?: number;
  readonly priorityLevel?: PriorityLevel;
  readonly maxPriorityFeeLamports?: bigint;
  readonly mevProtection?: boolean;
  /** null: the automatic tip (JITO_TIP_LAMPORTS or the tip floor's percentile). */
  readonly tipLamports?: bigint | null;
}

export type OrderRequest = OrderOverrides &
  (
    | {
        readonly side: "buy";
        readonly mint: TokenMint;
        readonly amountLamports: bigint;
        readonly acceptRisk: boolean;
      }
    | {
        readonly side: "sell";
        readonly mint: TokenMint;
        readonly amount?: bigint;
        readonly percent?: number;
        readonly acceptRisk: boolean;
      }
  );

/** Validates an order body; every problem is named in one INVALID_INPUT error. */
export function parseOrderRequest(input: unknown): OrderRequest {
  const parsed = orderRequestSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      path: issue.path.join("."),
      message: issue.message,
    }));
    throw new OspreyError(
      "INVALID_INPUT",
      `Invalid order. ${issues.map((i) => i.message).join("; ")}`,
      { issues },
    );
  }
  return parsed.data as OrderRequest;
}

/**
 * A digest of what the client sent that makes two requests the same order, so reusing an
 * idempotency key with other parameters is told apart from a retry. An omitted field hashes as
 * omitted (not as the setting it resolved to): a retry after the user changed a setting is still
 * the same request. The overrides join the digest only when one was sent.
 */
export function getOrderRequestHash(walletId: WalletId, request: OrderRequest): string {
  const sent = {
    priorityLevel: request.priorityLevel,
    maxPriorityFeeLamports: request.maxPriorityFeeLamports?.toString(),
    mevProtection: request.mevProtection,
    tipLamports:
      request.tipLamports === undefined
        ? undefined
        : request.tipLamports === null
          ? "auto"
          : request.tipLamports.toString(),
  };
  const canonical = JSON.stringify([
    walletId,
    request.side,
    request.mint,
    request.side === "buy"
      ? request.amountLamports.toString()
      : (request.amount?.toString() ?? null),
    request.side === "sell" ? (request.percent ?? null) : null,
    request.slippageBps ?? null,
    request.acceptRisk,
    ...(Object.values(sent).some((value) => value !== undefined) ? [sent] : []),
  ]);
  return createHash("sha256").update(canonical).digest("hex");
}
