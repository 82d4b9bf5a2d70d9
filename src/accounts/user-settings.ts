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

/** A user's terminal settings (CONTRACTS17.md, "Settings"); PUT replaces all of it. */
export const userSettingsSchema = z.strictObject({
  buyPresetsLamports: z.array(lamports).min(1).max(6),
  sellPresetsPercent: z.array(z.number().int().min(1).max(100)).min(1).max(6),
  slippageBps: z.number().int().min(1).max(5_000),
});

export type UserSettings = z.infer<typeof userSettingsSchema>;

export const DEFAULT_USER_SETTINGS: UserSettings = {
  buyPresetsLamports: ["100000000", "500000000", "1000000000"],
  sellPresetsPercent: [25, 50, 100],
  slippageBps: 100,
};

/** Throws INVALID_SETTINGS with each problem's field and reason; the settings otherwise. */
export function parseUserSettings(input: unknown): UserSettings {
  const parsed = userSettingsSchema.safeParse(input);
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
