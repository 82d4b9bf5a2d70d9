import type { Kysely } from "kysely";
import type { Clock } from "../../core/clock.js";
import { createUuidV7, type UserId } from "../../core/ids.js";
import { createQueryTemplates, type QueryTemplates } from "../query-templates.js";
import type { DatabaseSchema } from "../schema.js";

export interface AccessTokenRecord {
  readonly id: string;
  readonly userId: UserId;
  readonly expiresAt: number;
}

export function createAccessTokensRepository(
  db: Kysely<DatabaseSchema>,
  clock: Clock,
  templates: QueryTemplates = createQueryTemplates(),
) {
  return {
    async create(input: {
      userId: UserId;
      tokenHash: string;
      expiresAt: number;
    }): Promise<AccessTokenRecord> {
      const id = createUuidV7(clock.now());
      await db
        .insertInto("accessTokens")
        .values({ id, ...input, createdAt: clock.now(), revokedAt: null })
        .execute();
      return { id, userId: input.userId, expiresAt: input.expiresAt };
    },

    /** A token that exists, is not revoked and has not expired. */
    async findLiveByHash(tokenHash: string): Promise<AccessTokenRecord | undefined> {
      // Every authenticated request asks this: compiled once.
      const query = templates.bind(
        "live-by-hash",
        (slot) =>
          db
            .selectFrom("accessTokens")
            .select(["id", "userId", "expiresAt"])
            .where("tokenHash", "=", slot(0))
            .where("revokedAt", "is", null)
            .where("expiresAt", ">", slot(1)),
        [tokenHash, clock.now()],
      );
      const row = (await db.executeQuery(query)).rows[0];
      return row && { ...row, userId: row.userId as UserId };
    },

    async revoke(id: string): Promise<void> {
      await db
        .updateTable("accessTokens")
        .set({ revokedAt: clock.now() })
        .where("id", "=", id)
        .execute();
    },

    /** Drops tokens that expired more than `graceMs` ago, so the table does not grow forever. */
    async deleteExpired(graceMs = 24 * 3_600_000): Promise<number> {
      const result = await db
        .deleteFrom("accessTokens")
        .where("expiresAt", "<", clock.now() - graceMs)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export type AccessTokensRepository = ReturnType<typeof createAccessTokensRepository>;
