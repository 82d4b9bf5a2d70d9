import { z } from "zod";
import { U64_MAX } from "../core/amounts.js";
import type { UserId } from "../core/ids.js";
import { OspreyError } from "../core/osprey-error.js";
import type { Store } from "../store/store.js";

const lamports = z
  .string()
  .regex(/^[1-9][0-9]{0,19}$/, "a preset is a whole number of lamports above 0, as a string")
  // Zod runs this even when the pattern failed: only digits reach BigInt.
  .refine(
    (value) => !/^[0-9]+$/.test(value) || BigInt(value) <= U64_MAX,
    "a preset fits in 64 bits",
  );

/**
 * The field schemas below are shared with the per-order overrides of POST /v1/orders
 * (src/trading/order-request.ts): one rule for a default and for an override.
 */

export const MIN_SLIPPAGE_SETTING_BPS = 1;
export const MAX_SLIPPAGE_SETTING_BPS = 5_000;
/** Default slippage in basis points: 1 to 5000. */
export const slippageBpsSchema = z
  .number({ error: "slippageBps must be a whole number of basis points" })
  .int("slippageBps must be a whole number of basis points")
  .min(MIN_SLIPPAGE_SETTING_BPS, "slippageBps must be between 1 and 5000")
  .max(MAX_SLIPPAGE_SETTING_BPS, "slippageBps must be between 1 and 5000");

/** How hard to bid for a place in the block: a percentile of recent priority fees (none: no bid). */
export const PRIORITY_LEVELS = ["none", "low", "medium", "high", "veryHigh"] as const;
export type PriorityLevel = (typeof PRIORITY_LEVELS)[number];
export const priorityLevelSchema = z.enum(PRIORITY_LEVELS, {
  error: `priorityLevel must be one of ${PRIORITY_LEVELS.join(", ")}`,
});

/** The most a priority fee or a tip may be: 1 SOL. */
export const MAX_LAMPORTS_SETTING = 1_000_000_000n;
/** The least tip a block engine lands (Jito's minimum). */
export const MIN_TIP_LAMPORTS = 1_000n;

/** Lamports as a string of digits, from `min` to 1 SOL (1_000_000_000). */
function boundedLamports(what: string, min: bigint) {
  const range = `from ${min} to ${MAX_LAMPORTS_SETTING} lamports`;
  return (
    z
      .string({ error: `${what} must be a string of digits (lamports)` })
      // One spelling per amount: no sign, no leading zero, no decimals.
      .regex(
        /^(0|[1-9][0-9]{0,19})$/,
        `${what} must be a whole number of lamports, as a string of digits`,
      )
      // Zod runs this even when the pattern failed: only digits reach BigInt.
      .refine(
        (value) =>
          !/^(0|[1-9][0-9]*)$/.test(value) ||
          (BigInt(value) >= min && BigInt(value) <= MAX_LAMPORTS_SETTING),
        `${what} must be ${range}`,
      )
  );
}

/** The cap on the priority fee of one transaction (price × compute units), in lamports: 1 to 1e9. */
export const lamportsCapSchema = boundedLamports("maxPriorityFeeLamports", 1n);

/** Whether orders go only to private landing routes (block engines, senders) with a tip. */
export const mevProtectionSchema = z.boolean({ error: "mevProtection must be true or false" });

/** A protected order's tip in lamports (1000 to 1e9), or null: Osprey picks it (JITO_TIP_*). */
export const tipLamportsSchema = boundedLamports("tipLamports", MIN_TIP_LAMPORTS).nullable();

/** A user's terminal and trading settings (CONTRACTS17.md "Settings", CONTRACTS19.md §5). */
export const userSettingsSchema = z.strictObject({
  buyPresetsLamports: z.array(lamports).min(1).max(6),
  sellPresetsPercent: z.array(z.number().int().min(1).max(100)).min(1).max(6),
  slippageBps: slippageBpsSchema,
  priorityLevel: priorityLevelSchema,
  maxPriorityFeeLamports: lamportsCapSchema,
  mevProtection: mevProtectionSchema,
  tipLamports: tipLamportsSchema,
});

export type UserSettings = z.infer<typeof userSettingsSchema>;

export const DEFAULT_USER_SETTINGS: UserSettings = {
  buyPresetsLamports: ["100000000", "500000000", "1000000000"],
  sellPresetsPercent: [25, 50, 100],
  slippageBps: 100,
  priorityLevel: "medium",
  maxPriorityFeeLamports: "5000000",
  mevProtection: false,
  tipLamports: null,
};

/**
 * The body of PUT /v1/settings: the whole document, except that the trading fields added in
 * issue 19 may be left out (an older client's PUT): a missing one is its default.
 */
export const userSettingsInputSchema = userSettingsSchema.extend({
  priorityLevel: priorityLevelSchema.default(DEFAULT_USER_SETTINGS.priorityLevel),
  maxPriorityFeeLamports: lamportsCapSchema.default(DEFAULT_USER_SETTINGS.maxPriorityFeeLamports),
  mevProtection: mevProtectionSchema.default(DEFAULT_USER_SETTINGS.mevProtection),
  tipLamports: tipLamportsSchema.default(DEFAULT_USER_SETTINGS.tipLamports),
});

/** Throws INVALID_SETTINGS with each problem's field and reason; the settings otherwise. */
export function parseUserSettings(input: unknown): UserSettings {
  const parsed = userSettingsInputSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => ({
    field: issue.path.join(".") || "(body)",
    reason: issue.message,
  }));
  throw new OspreyError(
    "INVALID_SETTINGS",
    `Settings not saved: ${problems.map((p) => `${p.field}: ${p.reason}`).join("; ")}.`,
    { problems },
  );
}

/** Reads and replaces a user's settings; a user who never saved any has the defaults. */
export function createUserSettingsService(store: Pick<Store, "settings">) {
  return {
    async get(userId: UserId): Promise<UserSettings> {
      const stored = await store.settings.find(userId);
      if (stored === undefined || typeof stored !== "object" || stored === null)
        return DEFAULT_USER_SETTINGS;
      // A field this release added (or one a hand edit broke) reads as its default.
      const merged = { ...DEFAULT_USER_SETTINGS };
      for (const key of Object.keys(DEFAULT_USER_SETTINGS) as (keyof UserSettings)[]) {
        const field = userSettingsSchema.shape[key].safeParse(
          (stored as Record<string, unknown>)[key],
        );
        if (field.success) Object.assign(merged, { [key]: field.data });
      }
      return merged;
    },
    async replace(userId: UserId, input: unknown): Promise<UserSettings> {
      const settings = parseUserSettings(input);
      await store.settings.save(userId, settings);
      return settings;
    },
  };
}

export type UserSettingsService = ReturnType<typeof createUserSettingsService>;
