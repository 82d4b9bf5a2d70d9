import { type CompiledQuery, type Kysely, type Selectable, sql } from "kysely";
import type { Clock } from "../../core/clock.js";
import { createUuidV7, type OrderId, type UserId, type WalletId } from "../../core/ids.js";
import type { OrderStatus } from "../../core/order-status.js";
import { createQueryTemplates, type QueryTemplates } from "../query-templates.js";
import type { DatabaseSchema, OrderEventsTable, OrdersTable } from "../schema.js";
import { isUniqueViolation } from "./is-unique-violation.js";

export interface OrderEvent {
  readonly status: OrderStatus;
  readonly at: number;
  readonly detail: Record<string, unknown> | null;
}

export interface OrderRecord {
  readonly id: OrderId;
  readonly userId: UserId;
  readonly walletId: WalletId;
  readonly side: "buy" | "sell";
  readonly mint: string;
  readonly status: OrderStatus;
  readonly idempotencyKey: string;
  readonly requestHash: string;
  readonly amountIn: bigint;
  readonly amountOut: bigint | null;
  readonly minAmountOut: bigint | null;
  readonly slippageBps: number;
  readonly commissionLamports: bigint | null;
  readonly commissionUsdMicros: bigint | null;
  readonly signature: string | null;
  readonly rawTransaction: string | null;
  readonly lastValidBlockHeight: number | null;
  readonly slot: number | null;
  readonly error: string | null;
  /** The landed transaction's `meta.fee`; null until CONFIRMED. */
  readonly networkFeeLamports: bigint | null;
  /** Compute-unit price × limit (rounded up) the landed transaction paid; null until CONFIRMED. */
  readonly priorityFeeLamports: bigint | null;
  /** The tip the landed transaction paid a tip account; null without one. */
  readonly tipLamports: bigint | null;
  readonly landingRoute: "public" | "protected";
  readonly swapApi: "v1" | "v2";
  /** The standing order (src/automation) that placed it; null when a user placed it. */
  readonly triggerId: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface NewOrder {
  readonly userId: UserId;
  readonly walletId: WalletId;
  readonly side: "buy" | "sell";
  readonly mint: string;
  readonly idempotencyKey: string;
  readonly requestHash: string;
  readonly amountIn: bigint;
  readonly slippageBps: number;
  /** Default `public`; a `protected` order is landed and resumed through private routes only. */
  readonly landingRoute?: "public" | "protected";
  /** Default `v1`. */
  readonly swapApi?: "v1" | "v2";
  /** The standing order placing it (src/automation). */
  readonly triggerId?: string;
  readonly detail?: Record<string, unknown>;
  /**
   * When the order is already quoted and cleared to sign: it is written QUOTED, with both its
   * PENDING and QUOTED events, in the same transaction (one write instead of two).
   */
  readonly quoted?: { readonly minAmountOut: bigint };
}

/** Fields a transition may set; money as bigint, written as exact decimal strings. */
export interface OrderPatch {
  readonly amountIn?: bigint;
  readonly amountOut?: bigint;
  readonly minAmountOut?: bigint;
  readonly commissionLamports?: bigint;
  readonly commissionUsdMicros?: bigint;
  readonly signature?: string;
  readonly rawTransaction?: string;
  readonly lastValidBlockHeight?: number;
  readonly slot?: number;
  readonly error?: string;
  readonly networkFeeLamports?: bigint;
  readonly priorityFeeLamports?: bigint;
  readonly tipLamports?: bigint;
}

const money = (value: string | null) => (value === null ? null : BigInt(value));

export function toOrder(row: OrdersTable): OrderRecord {
  return {
    ...row,
    id: row.id as OrderId,
    userId: row.userId as UserId,
    walletId: row.walletId as WalletId,
    status: row.status as OrderStatus,
    amountIn: BigInt(row.amountIn),
    amountOut: money(row.amountOut),
    minAmountOut: money(row.minAmountOut),
    commissionLamports: money(row.commissionLamports),
    commissionUsdMicros: money(row.commissionUsdMicros),
    networkFeeLamports: money(row.networkFeeLamports),
    priorityFeeLamports: money(row.priorityFeeLamports),
    tipLamports: money(row.tipLamports),
  };
}

export function toColumns(patch: OrderPatch): Partial<OrdersTable> {
  const columns: Partial<OrdersTable> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    (columns as Record<string, unknown>)[key] =
      typeof value === "bigint" ? value.toString() : value;
  }
  return columns;
}

function toEvent(row: Selectable<OrderEventsTable>): OrderEvent {
  return {
    status: row.status as OrderStatus,
    at: row.at,
    detail: row.detail ? (JSON.parse(row.detail) as Record<string, unknown>) : null,
  };
}

/** An order's row, updated to `to` if its status is one of `from`; compiled once per shape. */
export function bindOrderTransition(
  templates: QueryTemplates,
  db: Kysely<DatabaseSchema>,
  input: { id: string; from: readonly OrderStatus[]; columns: Partial<OrdersTable> },
): CompiledQuery<OrdersTable> {
  const names = Object.keys(input.columns) as (keyof OrdersTable)[];
  return templates.bind(
    `transition:${names.join(",")}:${input.from.length}`,
    (slot) =>
      db
        .updateTable("orders")
        .set(Object.fromEntries(names.map((name, i) => [name, slot(i)])))
        .where("id", "=", slot(names.length))
        .where(
          "status",
          "in",
          input.from.map((_, i) => slot(names.length + 1 + i)),
        )
        .returningAll(),
    [...names.map((name) => input.columns[name]), input.id, ...input.from],
  );
}

/** A new order's insert, compiled once per set of columns. */
function bindOrderInsert(
  templates: QueryTemplates,
  db: Kysely<DatabaseSchema>,
  row: OrdersTable,
): CompiledQuery {
  const names = Object.keys(row) as (keyof OrdersTable)[];
  return templates.bind(
    `insert-order:${names.join(",")}`,
    (slot) =>
      db
        .insertInto("orders")
        .values(Object.fromEntries(names.map((name, i) => [name, slot(i)])) as never),
    names.map((name) => row[name]),
  );
}

/** An order event's insert, compiled once. */
export function bindOrderEvent(
  templates: QueryTemplates,
  db: Kysely<DatabaseSchema>,
  event: { orderId: string; status: OrderStatus; at: number; detail?: Record<string, unknown> },
): CompiledQuery {
  return templates.bind(
    "event",
    (slot) =>
      db
        .insertInto("orderEvents")
        .values({ orderId: slot(0), status: slot(1), at: slot(2), detail: slot(3) }),
    [event.orderId, event.status, event.at, event.detail ? JSON.stringify(event.detail) : null],
  );
}

export function createOrdersRepository(
  db: Kysely<DatabaseSchema>,
  clock: Clock,
  templates: QueryTemplates = createQueryTemplates(),
) {
  async function addEvent(
    trx: Kysely<DatabaseSchema>,
    orderId: string,
    status: OrderStatus,
    detail?: Record<string, unknown>,
  ) {
    await trx.executeQuery(
      bindOrderEvent(templates, db, {
        orderId,
        status,
        at: clock.now(),
        ...(detail ? { detail } : {}),
      }),
    );
  }

  const repository = {
    /**
     * Writes the order PENDING before anything is signed. When the user already used this
     * idempotency key, nothing is written and the existing order comes back with created=false.
     */
    async createPending(input: NewOrder): Promise<{ order: OrderRecord; created: boolean }> {
      const now = clock.now();
      const row: OrdersTable = {
        id: createUuidV7(now),
        userId: input.userId,
        walletId: input.walletId,
        side: input.side,
        mint: input.mint,
        status: input.quoted ? "QUOTED" : "PENDING",
        idempotencyKey: input.idempotencyKey,
        requestHash: input.requestHash,
        amountIn: input.amountIn.toString(),
        amountOut: null,
        minAmountOut: input.quoted?.minAmountOut.toString() ?? null,
        slippageBps: input.slippageBps,
        commissionLamports: null,
        commissionUsdMicros: null,
        signature: null,
        rawTransaction: null,
        lastValidBlockHeight: null,
        slot: null,
        error: null,
        networkFeeLamports: null,
        priorityFeeLamports: null,
        tipLamports: null,
        landingRoute: input.landingRoute ?? "public",
        swapApi: input.swapApi ?? "v1",
        triggerId: input.triggerId ?? null,
        createdAt: now,
        updatedAt: now,
      };
      try {
        await db.transaction().execute(async (trx) => {
          await trx.executeQuery(bindOrderInsert(templates, db, row));
          await addEvent(trx, row.id, "PENDING", input.detail);
          if (input.quoted) await addEvent(trx, row.id, "QUOTED");
        });
        return { order: toOrder(row), created: true };
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        const existing = await repository.findByIdempotencyKey(input.userId, input.idempotencyKey);
        if (!existing) throw error;
        return { order: existing, created: false };
      }
    },

    /**
     * Moves an order to `to` only if it is still in one of `from`: the compare-and-set that
     * keeps two workers (or a worker and the reconciler) from both advancing one order.
     */
    async transition(
      id: OrderId,
      from: readonly OrderStatus[],
      to: OrderStatus,
      patch: OrderPatch = {},
      detail?: Record<string, unknown>,
    ): Promise<OrderRecord | undefined> {
      return db.transaction().execute(async (trx) => {
        // RETURNING (SQLite ≥ 3.35 and PostgreSQL) spares reading the row again.
        const columns = { ...toColumns(patch), status: to, updatedAt: clock.now() };
        const { rows } = await trx.executeQuery(
          bindOrderTransition(templates, db, { id, from, columns }),
        );
        const row = rows[0];
        if (row === undefined) return undefined;
        await addEvent(trx, id, to, detail);
        return toOrder(row);
      });
    },

    async findById(id: OrderId): Promise<OrderRecord | undefined> {
      const row = await db.selectFrom("orders").selectAll().where("id", "=", id).executeTakeFirst();
      return row && toOrder(row);
    },

    async findForUser(userId: UserId, id: OrderId): Promise<OrderRecord | undefined> {
      const row = await db
        .selectFrom("orders")
        .selectAll()
        .where("id", "=", id)
        .where("userId", "=", userId)
        .executeTakeFirst();
      return row && toOrder(row);
    },

    async findByIdempotencyKey(userId: UserId, key: string): Promise<OrderRecord | undefined> {
      const query = templates.bind(
        "by-idempotency-key",
        (slot) =>
          db
            .selectFrom("orders")
            .selectAll()
            .where("userId", "=", slot(0))
            .where("idempotencyKey", "=", slot(1)),
        [userId, key],
      );
      const row = (await db.executeQuery(query)).rows[0];
      return row && toOrder(row);
    },

    async listForUser(
      userId: UserId,
      options: { limit?: number; before?: number } = {},
    ): Promise<OrderRecord[]> {
      let query = db.selectFrom("orders").selectAll().where("userId", "=", userId);
      if (options.before !== undefined) query = query.where("createdAt", "<", options.before);
      const rows = await query
        .orderBy("createdAt", "desc")
        .orderBy("id", "desc")
        .limit(options.limit ?? 50)
        .execute();
      return rows.map(toOrder);
    },

    /** Orders a crash may have left between signing and a final outcome. */
    async listUnresolved(): Promise<OrderRecord[]> {
      const rows = await db
        .selectFrom("orders")
        .selectAll()
        .where("status", "in", ["PENDING", "QUOTED", "SIGNED", "SUBMITTED"])
        .orderBy("createdAt")
        .execute();
      return rows.map(toOrder);
    },

    async listEvents(orderId: OrderId): Promise<OrderEvent[]> {
      const query = templates.bind(
        "events",
        (slot) =>
          db.selectFrom("orderEvents").selectAll().where("orderId", "=", slot(0)).orderBy("id"),
        [orderId],
      );
      return (await db.executeQuery(query)).rows.map(toEvent);
    },

    /** The events of several orders in one query: each order's list, oldest first. */
    async listEventsOfOrders(orderIds: readonly OrderId[]): Promise<Map<OrderId, OrderEvent[]>> {
      const events = new Map<OrderId, OrderEvent[]>(orderIds.map((id) => [id, []]));
      if (orderIds.length === 0) return events;
      const rows = await db
        .selectFrom("orderEvents")
        .selectAll()
        .where("orderId", "in", [...new Set(orderIds)])
        .orderBy("id")
        .execute();
      for (const row of rows) events.get(row.orderId as OrderId)?.push(toEvent(row));
      return events;
    },

    /** Raw count by status, for tests and the reconciler's report. */
    async countByStatus(): Promise<Record<string, number>> {
      const rows = await db
        .selectFrom("orders")
        .select(["status", sql<number | string>`count(*)`.as("n")])
        .groupBy("status")
        .execute();
      return Object.fromEntries(rows.map((row) => [row.status, Number(row.n)]));
    },
  };
  return repository;
}

export type OrdersRepository = ReturnType<typeof createOrdersRepository>;
