import type { Kysely } from "kysely";
import type { Address } from "../../core/addresses.js";
import type { Clock } from "../../core/clock.js";
import { createUuidV7, type UserId, type WalletId } from "../../core/ids.js";
import { OspreyError } from "../../core/osprey-error.js";
import type { DatabaseSchema, WalletsTable } from "../schema.js";
import { isUniqueViolation } from "./is-unique-violation.js";

export interface WalletRecord {
  readonly id: WalletId;
  readonly userId: UserId;
  readonly label: string;
  readonly publicKey: Address;
  readonly envelope: string;
  readonly active: boolean;
  readonly createdAt: number;
  readonly updatedAt: number;
}

function toWallet(row: WalletsTable): WalletRecord {
  return {
    ...row,
    id: row.id as WalletId,
    userId: row.userId as UserId,
    publicKey: row.publicKey as Address,
    active: Boolean(row.active),
  };
}

/** Every read is scoped to its owner: another user's wallet is simply not found. */
export function createWalletsRepository(db: Kysely<DatabaseSchema>, clock: Clock) {
  const owned = (userId: UserId, id: WalletId) =>
    db.selectFrom("wallets").selectAll().where("userId", "=", userId).where("id", "=", id);

  return {
    /** The id is chosen by the caller because the envelope's AAD binds it before the row exists. */
    async create(input: {
      id?: WalletId;
      userId: UserId;
      label: string;
      publicKey: Address;
      envelope: string;
    }): Promise<WalletRecord> {
      const now = clock.now();
      const row: WalletsTable = {
        id: input.id ?? (createUuidV7(now) as WalletId),
        userId: input.userId,
        label: input.label,
        publicKey: input.publicKey,
        envelope: input.envelope,
        active: 1,
        createdAt: now,
        updatedAt: now,
      };
      try {
        await db.insertInto("wallets").values(row).execute();
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new OspreyError("CONFLICT", "This wallet is already in your account.", {
            field: "publicKey",
          });
        }
        throw error;
      }
      return toWallet(row);
    },

    async findForUser(userId: UserId, id: WalletId): Promise<WalletRecord | undefined> {
      const row = await owned(userId, id).executeTakeFirst();
      return row && toWallet(row);
    },

    async listForUser(userId: UserId): Promise<WalletRecord[]> {
      const rows = await db
        .selectFrom("wallets")
        .selectAll()
        .where("userId", "=", userId)
        .orderBy("createdAt")
        .execute();
      return rows.map(toWallet);
    },

    /**
     * Swaps the envelope only if it is still the one the caller read, so an upgrade racing a
     * password change cannot bring the old password back. False when it changed meanwhile.
     */
    async replaceEnvelope(
      userId: UserId,
      id: WalletId,
      expected: string,
      next: string,
    ): Promise<boolean> {
      const result = await db
        .updateTable("wallets")
        .set({ envelope: next, updatedAt: clock.now() })
        .where("userId", "=", userId)
        .where("id", "=", id)
        .where("envelope", "=", expected)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    /** Returns false when the wallet is not the user's. */
    async update(
      userId: UserId,
      id: WalletId,
      patch: { label?: string; envelope?: string; active?: boolean },
    ): Promise<boolean> {
      const result = await db
        .updateTable("wallets")
        .set({
          ...(patch.label !== undefined ? { label: patch.label } : {}),
          ...(patch.envelope !== undefined ? { envelope: patch.envelope } : {}),
          ...(patch.active !== undefined ? { active: patch.active ? 1 : 0 } : {}),
          updatedAt: clock.now(),
        })
        .where("userId", "=", userId)
        .where("id", "=", id)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}

export type WalletsRepository = ReturnType<typeof createWalletsRepository>;
