import { z } from "zod";
import { isAddress } from "../../core/addresses.js";
import { U64_MAX } from "../../core/amounts.js";
import { isUuid } from "../../core/ids.js";
import { OspreyError } from "../../core/osprey-error.js";
import { MAX_SLIPPAGE_BPS, MIN_SLIPPAGE_BPS } from "../../trading/order-request.js";
import { TRIGGER_TYPES } from "./trigger-types.js";

/** Prices: USD per whole token, a decimal string above zero with at most 18 decimals. */
const PRICE = /^(0|[1-9][0-9]{0,19})(\.[0-9]{1,18})?$/;
const MAX_DCA_COUNT = 100;
const MAX_INTERVAL_SECONDS = 30 * 86_400;

const price = (field: string) =>
  z
    .string({ error: `${field} must be a decimal string of USD per whole token` })
    .regex(PRICE, `${field} must be a decimal number of USD (at most 18 decimals), e.g. "0.0123"`)
    .refine((text) => /[1-9]/.test(text), `${field} must be above zero`);

const amount = (field: string) =>
  z
    .string({ error: `${field} must be a string of digits (base units)` })
    .regex(/^[0-9]{1,20}$/, `${field} must be a whole number of base units, as a string of digits`)
    .transform((text) => BigInt(text))
    .refine((value) => value > 0n, `${field} must be above zero`)
    .refine((value) => value <= U64_MAX, `${field} must fit in 64 bits`);

const percent = (field: string, min: number, max: number, unit = "%") =>
  z
    .number({ error: `${field} must be a number from ${min} to ${max}` })
    .min(min, `${field} must be from ${min} to ${max}${unit}`)
    .max(max, `${field} must be from ${min} to ${max}${unit}`);

const common = {
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
const acceptRisk = z.boolean({ error: "acceptRisk must be true or false" }).default(false);
const sellSize = {
  percent: percent("percent", 0.01, 100).optional(),
  amount: amount("amount").optional(),
};
const oneSize = (sell: { percent?: number | undefined; amount?: bigint | undefined }) =>
  (sell.percent === undefined) !== (sell.amount === undefined);
const sizeMessage = { message: "a sell names exactly one of percent or amount", path: ["percent"] };

function exit(type: "take_profit" | "stop_loss") {
  const change =
    type === "take_profit"
      ? percent("changePercent", 0.1, 1000, " % above the average cost")
      : percent("changePercent", 0.1, 99.9, " % below the average cost");
  return z
    .strictObject({
      type: z.literal(type),
      ...common,
      ...sellSize,
      priceUsd: price("priceUsd").optional(),
      changePercent: change.optional(),
      linkedTo: z
        .string({ error: "linkedTo must be a trigger id" })
        .refine(isUuid, "linkedTo must be a trigger id")
        .optional(),
    })
    .refine(oneSize, sizeMessage)
    .refine((t) => (t.priceUsd === undefined) !== (t.changePercent === undefined), {
      message: "give exactly one of priceUsd or changePercent",
      path: ["priceUsd"],
    });
}

/** The body of POST /v1/triggers; built per server since DCA's shortest interval is a setting. */
export function createTriggerRequestSchema(minIntervalSeconds: number) {
  return z.discriminatedUnion(
    "type",
    [
      z.strictObject({
        type: z.literal("limit_buy"),
        ...common,
        amountLamports: amount("amountLamports"),
        priceUsd: price("priceUsd"),
        acceptRisk,
      }),
      exit("take_profit"),
      exit("stop_loss"),
      z
        .strictObject({
          type: z.literal("trailing_stop"),
          ...common,
          ...sellSize,
          trailPercent: percent("trailPercent", 0.1, 99),
        })
        .refine(oneSize, sizeMessage),
      z
        .strictObject({
          type: z.literal("dca"),
          ...common,
          amountLamports: amount("amountLamports"),
          intervalSeconds: z
            .number({ error: "intervalSeconds must be a whole number of seconds" })
            .int("intervalSeconds must be a whole number of seconds")
            .min(minIntervalSeconds, `intervalSeconds must be at least ${minIntervalSeconds}`)
            .max(
              MAX_INTERVAL_SECONDS,
              `intervalSeconds must be at most ${MAX_INTERVAL_SECONDS} (30 days)`,
            ),
          count: z
            .number({ error: `count must be a whole number from 2 to ${MAX_DCA_COUNT}` })
            .int(`count must be a whole number from 2 to ${MAX_DCA_COUNT}`)
            .min(2, `count must be from 2 to ${MAX_DCA_COUNT}`)
            .max(MAX_DCA_COUNT, `count must be from 2 to ${MAX_DCA_COUNT}`),
          priceMinUsd: price("priceMinUsd").optional(),
          priceMaxUsd: price("priceMaxUsd").optional(),
          acceptRisk,
        })
        .refine(
          (d) =>
            d.priceMinUsd === undefined ||
            d.priceMaxUsd === undefined ||
            Number(d.priceMinUsd) <= Number(d.priceMaxUsd),
          { message: "priceMinUsd must not be above priceMaxUsd", path: ["priceMinUsd"] },
        ),
    ],
    { error: `type must be one of ${TRIGGER_TYPES.join(", ")}` },
  );
}

export type TriggerRequest = z.output<ReturnType<typeof createTriggerRequestSchema>>;

/** Validates a trigger body; every problem is named, with its field, in one INVALID_INPUT. */
export function parseTriggerRequest(
  input: unknown,
  options: { readonly minIntervalSeconds: number; readonly now: number },
): TriggerRequest {
  const parsed = createTriggerRequestSchema(options.minIntervalSeconds).safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      path: issue.path.join("."),
      message: issue.message,
    }));
    const text = issues.map((i) =>
      i.path && !i.message.startsWith(i.path) ? `${i.path}: ${i.message}` : i.message,
    );
    throw new OspreyError("INVALID_INPUT", `Invalid trigger. ${text.join("; ")}`, { issues });
  }
  const request = parsed.data;
  if (request.expiresAt !== undefined && request.expiresAt <= options.now)
    throw new OspreyError("INVALID_INPUT", "expiresAt must be in the future.", {
      issues: [{ path: "expiresAt", message: "expiresAt must be in the future" }],
    });
  return request;
}
