import { type Kysely, type RawBuilder, sql } from "kysely";
import type { SqlDialectName } from "../database.js";
import type { DatabaseSchema } from "../schema.js";

const DAY_MS = 86_400_000;

export interface UserSummary {
  readonly id: string;
  readonly username: string;
  readonly role: string;
  readonly createdAt: number;
  readonly wallets: number;
  readonly orders: number;
}

export interface DailyTotals {
  /** Days since 1970-01-01 (UTC). */
  readonly dayNumber: number;
  readonly orders: number;
  readonly confirmed: number;
  /** Lamports swapped by confirmed orders: SOL spent on buys, SOL received on sells. */
  readonly volumeLamports: bigint;
  readonly commissionLamports: bigint;
  readonly commissionUsdMicros: bigint;
}

export interface FailedOrder {
  readonly orderId: string;
  readonly userId: string;
  readonly username: string | null;
  readonly side: string;
  readonly mint: string;
  readonly status: string;
  readonly error: string | null;
  readonly at: number;
}

const count = (value: unknown) => Number(value ?? 0);
// Sums come back as numeric strings (PostgreSQL) or integers (SQLite); both parse exactly.
const money = (value: unknown) => BigInt(String(value ?? 0).split(".")[0] ?? "0");

/**
 * The operator's view across users: read-only aggregates for GET /v1/admin/overview. Money is
 * summed exactly in SQL (numeric on PostgreSQL, 64-bit integers on SQLite, whose money columns
 * are text), and days are whole UTC days of the orders' creation time.
 */
export function createOperatorRepository(db: Kysely<DatabaseSchema>, dialect: SqlDialectName) {
  const plain = db.withoutPlugins();
  const exact = (column: string) =>
    dialect === "postgres"
      ? sql`coalesce(${sql.ref(column)}, 0)`
      : sql`coalesce(cast(${sql.ref(column)} as integer), 0)`;

  return {
    /** The oldest `limit` users, each with how many wallets and orders they have. */
    async listUsers(limit: number): Promise<UserSummary[]> {
      const rows = await db
        .selectFrom("users")
        .select((eb) => [
          "users.id",
          "users.username",
          "users.role",
          "users.createdAt",
          eb
            .selectFrom("wallets")
            .whereRef("wallets.userId", "=", "users.id")
            .select(eb.fn.countAll().as("n"))
            .as("wallets"),
          eb
            .selectFrom("orders")
            .whereRef("orders.userId", "=", "users.id")
            .select(eb.fn.countAll().as("n"))
            .as("orders"),
        ])
        .orderBy("users.createdAt")
        .orderBy("users.id")
        .limit(limit)
        .execute();
      return rows.map((row) => ({
        id: row.id,
        username: row.username,
        role: row.role,
        createdAt: Number(row.createdAt),
        wallets: count(row.wallets),
        orders: count(row.orders),
      }));
    },

    async countOrdersByStatus(): Promise<Record<string, number>> {
      const rows = await db
        .selectFrom("orders")
        .select((eb) => ["status", eb.fn.countAll().as("n")])
        .groupBy("status")
        .execute();
      return Object.fromEntries(rows.map((row) => [row.status, count(row.n)]));
    },

    /** Per UTC day from `since` (ms): orders placed, and the volume and commission confirmed. */
    async getDailyTotals(since: number): Promise<DailyTotals[]> {
      const confirmed = (value: RawBuilder<unknown>) =>
        sql`sum(case when status = 'CONFIRMED' then ${value} else 0 end)`;
      const volume = sql`case when side = 'buy' then ${exact("amount_in")} else ${exact("amount_out")} end`;
      const { rows } = await sql<{
        day: unknown;
        orders: unknown;
        confirmed: unknown;
        volume: unknown;
        commission: unknown;
        commission_usd: unknown;
      }>`
        select created_at / ${sql.lit(DAY_MS)} as day,
          count(*) as orders,
          sum(case when status = 'CONFIRMED' then 1 else 0 end) as confirmed,
          ${confirmed(volume)} as volume,
          ${confirmed(exact("commission_lamports"))} as commission,
          ${confirmed(exact("commission_usd_micros"))} as commission_usd
        from orders
        where created_at >= ${since}
        group by created_at / ${sql.lit(DAY_MS)}
        order by day desc`.execute(plain);
      return rows.map((row) => ({
        dayNumber: count(row.day),
        orders: count(row.orders),
        confirmed: count(row.confirmed),
        volumeLamports: money(row.volume),
        commissionLamports: money(row.commission),
        commissionUsdMicros: money(row.commission_usd),
      }));
    },

    /** The latest orders that ended without a trade, with their reasons. */
    async listRecentFailures(limit: number): Promise<FailedOrder[]> {
      const rows = await db
        .selectFrom("orders")
        .leftJoin("users", "users.id", "orders.userId")
        .select([
          "orders.id",
          "orders.userId",
          "users.username",
          "orders.side",
          "orders.mint",
          "orders.status",
          "orders.error",
          "orders.updatedAt",
        ])
        .where("orders.status", "in", ["FAILED", "EXPIRED", "REJECTED"])
        .orderBy("orders.updatedAt", "desc")
        .orderBy("orders.id", "desc")
        .limit(limit)
        .execute();
      return rows.map((row) => ({
        orderId: row.id,
        userId: row.userId,
        username: row.username ?? null,
        side: row.side,
        mint: row.mint,
        status: row.status,
        error: row.error,
        at: Number(row.updatedAt),
      }));
    },
  };
}

export type OperatorRepository = ReturnType<typeof createOperatorRepository>;
