import type { Kysely, Selectable } from "kysely";
import type { Clock } from "../../core/clock.js";
import { createUuidV7, type UserId, type WalletId } from "../../core/ids.js";
import type { WithdrawalStatus } from "../../core/withdrawal-status.js";
import type { DatabaseSchema, WithdrawalEventsTable, WithdrawalsTable } from "../schema.js";
import { isUniqueViolation } from "./is-unique-violation.js";

export interface WithdrawalEvent {
  readonly status: WithdrawalStatus;
  readonly at: number;
  readonly detail: Record<string, unknown> | null;
}

export interface WithdrawalRecord {
  readonly id: string;
  readonly userId: UserId;
  readonly walletId: WalletId;
  readonly destination: string;
  /** Null for SOL. */
  readonly mint: string | null;
  readonly amount: bigint;
  readonly status: WithdrawalStatus;
  readonly idempotencyKey: string;
  readonly requestHash: string;
  readonly signature: string | null;
  readonly rawTransaction: string | null;
  readonly lastValidBlockHeight: number | null;
  readonly feeLamports: bigint | null;
  readonly slot: number | null;
  readonly error: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface NewWithdrawal {
  readonly userId: UserId;
  readonly walletId: WalletId;
  readonly destination: string;
  readonly mint: string | null;
  readonly amount: bigint;
  readonly idempotencyKey: string;
  readonly requestHash: string;
  readonly detail?: Record<string, unknown>;
}

/** Fields a transition may set. */
export interface WithdrawalPatch {
  readonly signature?: string;
  readonly rawTransaction?: string;
  readonly lastValidBlockHeight?: number;
  readonly feeLamports?: bigint;
  readonly slot?: number;
  readonly error?: string;
}

const nullableNumber = (value: number | string | null) => (value === null ? null : Number(value));

function toWithdrawal(row: WithdrawalsTable): WithdrawalRecord {
  return {
    ...row,
    userId: row.userId as UserId,
    walletId: row.walletId as WalletId,
    status: row.status as WithdrawalStatus,
    amount: BigInt(row.amount),
    feeLamports: row.feeLamports === null ? null : BigInt(row.feeLamports),
    lastValidBlockHeight: nullableNumber(row.lastValidBlockHeight),
    slot: nullableNumber(row.slot),
    createdAt: Number(row.createdAt),
    updatedAt: Number(row.updatedAt),
  };
}

function toEvent(row: Selectable<WithdrawalEventsTable>): WithdrawalEvent {
  return {
    status: row.status as WithdrawalStatus,
    at: Number(row.at),
    detail: row.detail ? (JSON.parse(row.detail) as Record<string, unknown>) : null,
  };
}

function toColumns(patch: WithdrawalPatch): Partial<WithdrawalsTable> {
  const columns: Partial<WithdrawalsTable> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    (columns as Record<string, unknown>)[key] =
      typeof value === "bigint" ? value.toString() : value;
  }
  return columns;
}

/** Withdrawals and their status history; every status change is a compare-and-set. */
export function createWithdrawalsRepository(db: Kysely<DatabaseSchema>, clock: Clock) {
  async function addEvent(
    trx: Kysely<DatabaseSchema>,
    withdrawalId: string,
    status: WithdrawalStatus,
    detail?: Record<string, unknown>,
  ) {
    await trx
      .insertInto("withdrawalEvents")
      .values({
        withdrawalId,
        status,
        at: clock.now(),
        detail: detail ? JSON.stringify(detail) : null,
      })
      .execute();
  }

  const repository = {
    /**
     * Writes the withdrawal PENDING before anything is signed. When the user already used this
     * idempotency key, nothing is written and the existing one comes back with created=false.
     */
    async createPending(
      input: NewWithdrawal,
    ): Promise<{ withdrawal: WithdrawalRecord; created: boolean }> {
      const now = clock.now();
      const row: WithdrawalsTable = {
        id: createUuidV7(now),
        userId: input.userId,
        walletId: input.walletId,
        destination: input.destination,
        mint: input.mint,
        amount: input.amount.toString(),
        status: "PENDING",
        idempotencyKey: input.idempotencyKey,
        requestHash: input.requestHash,
        signature: null,
        rawTransaction: null,
        lastValidBlockHeight: null,
        feeLamports: null,
        slot: null,
        error: null,
        createdAt: now,
        updatedAt: now,
      };
      try {
        await db.transaction().execute(async (trx) => {
          await trx.insertInto("withdrawals").values(row).execute();
          await addEvent(trx, row.id, "PENDING", input.detail);
        });
        return { withdrawal: toWithdrawal(row), created: true };
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        const existing = await repository.findByIdempotencyKey(input.userId, input.idempotencyKey);
        if (!existing) throw error;
        return { withdrawal: existing, created: false };
      }
    },

    /** Moves a withdrawal to `to` only if it is still in one of `from` (compare-and-set). */
    async transition(
      id: string,
      from: readonly WithdrawalStatus[],
      to: WithdrawalStatus,
      patch: WithdrawalPatch = {},
      detail?: Record<string, unknown>,
    ): Promise<WithdrawalRecord | undefined> {
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable("withdrawals")
          .set({ ...toColumns(patch), status: to, updatedAt: clock.now() })
          .where("id", "=", id)
          .where("status", "in", [...from])
          .returningAll()
          .executeTakeFirst();
        if (row === undefined) return undefined;
        await addEvent(trx, id, to, detail);
        return toWithdrawal(row);
      });
    },

    async findById(id: string): Promise<WithdrawalRecord | undefined> {
      const row = await db
        .selectFrom("withdrawals")
        .selectAll()
        .where("id", "=", id)
        .executeTakeFirst();
      return row && toWithdrawal(row);
    },

    async findForUser(userId: UserId, id: string): Promise<WithdrawalRecord | undefined> {
      const row = await db
        .selectFrom("withdrawals")
        .selectAll()
        .where("id", "=", id)
        .where("userId", "=", userId)
        .executeTakeFirst();
      return row && toWithdrawal(row);
    },

    async findByIdempotencyKey(userId: UserId, key: string): Promise<WithdrawalRecord | undefined> {
      const row = await db
        .selectFrom("withdrawals")
        .selectAll()
        .where("userId", "=", userId)
        .where("idempotencyKey", "=", key)
        .executeTakeFirst();
      return row && toWithdrawal(row);
    },

    /** A wallet's withdrawals (only the user's own), newest first. */
    async listForWallet(
      userId: UserId,
      walletId: WalletId,
      limit = 50,
    ): Promise<WithdrawalRecord[]> {
      const rows = await db
        .selectFrom("withdrawals")
        .selectAll()
        .where("userId", "=", userId)
        .where("walletId", "=", walletId)
        .orderBy("createdAt", "desc")
        .orderBy("id", "desc")
        .limit(limit)
        .execute();
      return rows.map(toWithdrawal);
    },

    /** Withdrawals a crash may have left between writing and a final outcome. */
    async listUnresolved(): Promise<WithdrawalRecord[]> {
      const rows = await db
        .selectFrom("withdrawals")
        .selectAll()
        .where("status", "in", ["PENDING", "SIGNED", "SUBMITTED"])
        .orderBy("createdAt")
        .execute();
      return rows.map(toWithdrawal);
    },

    async listEvents(withdrawalId: string): Promise<WithdrawalEvent[]> {
      const rows = await db
        .selectFrom("withdrawalEvents")
        .selectAll()
        .where("withdrawalId", "=", withdrawalId)
        .orderBy("id")
        .execute();
      return rows.map(toEvent);
    },

    /** The events of several withdrawals in one query: each one's list, oldest first. */
    async listEventsOf(ids: readonly string[]): Promise<Map<string, WithdrawalEvent[]>> {
      const events = new Map<string, WithdrawalEvent[]>(ids.map((id) => [id, []]));
      if (ids.length === 0) return events;
      const rows = await db
        .selectFrom("withdrawalEvents")
        .selectAll()
        .where("withdrawalId", "in", [...new Set(ids)])
        .orderBy("id")
        .execute();
      for (const row of rows) events.get(row.withdrawalId)?.push(toEvent(row));
      return events;
    },
  };
  return repository;
}

export type WithdrawalsRepository = ReturnType<typeof createWithdrawalsRepository>;
