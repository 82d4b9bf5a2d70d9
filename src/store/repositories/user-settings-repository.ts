import type { Kysely } from "kysely";
import type { Clock } from "../../core/clock.js";
import type { UserId } from "../../core/ids.js";
import type { DatabaseSchema } from "../schema.js";

/** Each user's settings document, stored as JSON text; its shape is the accounts' concern. */
export function createUserSettingsRepository(db: Kysely<DatabaseSchema>, clock: Clock) {
  return {
    /** The stored document, parsed; undefined when the user never saved one. */
    async find(userId: UserId): Promise<unknown> {
      const row = await db
        .selectFrom("userSettings")
        .select("settings")
        .where("userId", "=", userId)
        .executeTakeFirst();
      if (!row) return undefined;
      try {
        return JSON.parse(row.settings) as unknown;
      } catch {
        return undefined;
      }
    },

    /** Replaces the user's document (insert or update in one statement). */
    async save(userId: UserId, settings: Readonly<Record<string, unknown>>): Promise<void> {
      const text = JSON.stringify(settings);
      const updatedAt = clock.now();
      await db
        .insertInto("userSettings")
        .values({ userId, settings: text, updatedAt })
        .onConflict((conflict) =>
          conflict.column("userId").doUpdateSet({ settings: text, updatedAt }),
        )
        .execute();
    },
  };
}

export type UserSettingsRepository = ReturnType<typeof createUserSettingsRepository>;
