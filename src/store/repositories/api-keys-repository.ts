import type { Kysely } from "kysely";
import type { Clock } from "../../core/clock.js";
import { createUuidV7, type UserId } from "../../core/ids.js";
import type { ApiKeysTable, DatabaseSchema } from "../schema.js";

export interface ApiKeyRecord {
  readonly id: string;
  readonly userId: UserId;
  readonly name: string;
  readonly keyHash: string;
  readonly keyPrefix: string;
  /** As stored; the account service reads it as an ApiKeyScope. */
  readonly scope: string;
  readonly createdAt: number;
  readonly lastUsedAt: number | null;
  readonly revokedAt: number | null;
}

const toApiKey = (row: ApiKeysTable): ApiKeyRecord => ({ ...row, userId: row.userId as UserId });

/** Stores only a hash of each key; the key itself is shown once by the caller and forgotten. */
export function createApiKeysRepository(db: Kysely<DatabaseSchema>, clock: Clock) {
  return {
    async create(input: {
      userId: UserId;
      name: string;
      keyHash: string;
      keyPrefix: string;
      scope: string;
    }): Promise<ApiKeyRecord> {
      const row: ApiKeysTable = {
        id: createUuidV7(clock.now()),
        ...input,
        createdAt: clock.now(),
        lastUsedAt: null,
        revokedAt: null,
      };
      await db.insertInto("apiKeys").values(row).execute();
      return toApiKey(row);
    },

    /** A live (not revoked) key by its hash. */
    async findActiveByHash(keyHash: string): Promise<ApiKeyRecord | undefined> {
      const row = await db
        .selectFrom("apiKeys")
        .selectAll()
        .where("keyHash", "=", keyHash)
        .where("revokedAt", "is", null)
        .executeTakeFirst();
      return row && toApiKey(row);
    },

    async listForUser(userId: UserId): Promise<ApiKeyRecord[]> {
      const rows = await db
        .selectFrom("apiKeys")
        .selectAll()
        .where("userId", "=", userId)
        .orderBy("createdAt")
        .execute();
      return rows.map(toApiKey);
    },

    /** False when the key is not the user's or was already revoked. */
    async revoke(userId: UserId, id: string): Promise<boolean> {
      const result = await db
        .updateTable("apiKeys")
        .set({ revokedAt: clock.now() })
        .where("id", "=", id)
        .where("userId", "=", userId)
        .where("revokedAt", "is", null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async touch(id: string): Promise<void> {
      await db
        .updateTable("apiKeys")
        .set({ lastUsedAt: clock.now() })
        .where("id", "=", id)
        .execute();
    },
  };
}

export type ApiKeysRepository = ReturnType<typeof createApiKeysRepository>;
