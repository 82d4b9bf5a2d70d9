import { z } from "zod";
import { isUuid } from "../../core/ids.js";
import { OspreyError } from "../../core/osprey-error.js";
import {
  acceptRisk,
  amount,
  common,
  oneSize,
  percent,
  price,
  sellSize,
  sizeMessage,
} from "./trigger-fields.js";
import { TRIGGER_TYPES } from "./trigger-types.js";

const MAX_DCA_COUNT = 100;
const MAX_INTERVAL_SECONDS = 30 * 86_400;

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
