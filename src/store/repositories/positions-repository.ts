import type { Kysely } from "kysely";
import type { Clock } from "../../core/clock.js";
import type { UserId, WalletId } from "../../core/ids.js";
import type { DatabaseSchema, PositionsTable } from "../schema.js";

export interface Position {
  readonly userId: UserId;
  readonly walletId: WalletId;
  readonly mint: string;
  readonly amount: bigint;
  readonly costLamports: bigint;
  readonly costUsdMicros: bigint;
  readonly realizedPnlLamports: bigint;
  readonly updatedAt: number;
}

export type PositionInput = Omit<Position, "updatedAt" | "costUsdMicros"> & {
  readonly costUsdMicros?: bigint;
};

export function toPosition(row: PositionsTable): Position {
  return {
    userId: row.userId as UserId,
    walletId: row.walletId as WalletId,
    mint: row.mint,
    amount: BigInt(row.amount),
    costLamports: BigInt(row.costLamports),
    costUsdMicros: BigInt(row.costUsdMicros),
    realizedPnlLamports: BigInt(row.realizedPnlLamports),
    updatedAt: row.updatedAt,
  };
}

export function createPositionsRepository(db: Kysely<DatabaseSchema>, clock: Clock) {
  return {
    async get(walletId: WalletId, mint: string): Promise<Position | undefined> {
      const row = await db
        .selectFrom("positions")
        .selectAll()
        .where("walletId", "=", walletId)
        .where("mint", "=", mint)
        .executeTakeFirst();
      return row && toPosition(row);
    },

    async listForUser(userId: UserId): Promise<Position[]> {
      const rows = await db
        .selectFrom("positions")
        .selectAll()
        .where("userId", "=", userId)
        .orderBy("mint")
        .execute();
      return rows.map(toPosition);
    },

    /** Every mint some wallet holds now (amount > 0): the price sampler follows them. */
    async listHeldMints(): Promise<string[]> {
      const rows = await db
        .selectFrom("positions")
        .select("mint")
        .distinct()
        .where("amount", "!=", "0")
        .execute();
      return rows.map((row) => row.mint);
    },

    /** Writes the position's new totals (the trading engine computes them from the fill). */
    async save(position: PositionInput): Promise<void> {
      await savePosition(db, position, clock.now());
    },
  };
}

/** Upserts a position's totals; also used inside the fill transaction of the orders. */
export async function savePosition(
  db: Kysely<DatabaseSchema>,
  position: PositionInput,
  now: number,
): Promise<void> {
  const values = {
    userId: position.userId,
    walletId: position.walletId,
    mint: position.mint,
    amount: position.amount.toString(),
    costLamports: position.costLamports.toString(),
    costUsdMicros: (position.costUsdMicros ?? 0n).toString(),
    realizedPnlLamports: position.realizedPnlLamports.toString(),
    updatedAt: now,
  };
  await db
    .insertInto("positions")
    .values(values)
    .onConflict((oc) =>
      oc.columns(["walletId", "mint"]).doUpdateSet({
        amount: values.amount,
        costLamports: values.costLamports,
        costUsdMicros: values.costUsdMicros,
        realizedPnlLamports: values.realizedPnlLamports,
        updatedAt: values.updatedAt,
      }),
    )
    .execute();
}

export type PositionsRepository = ReturnType<typeof createPositionsRepository>;
