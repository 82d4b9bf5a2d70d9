import { type Kysely, sql } from "kysely";
import type { Clock } from "../../core/clock.js";
import type { OrderId } from "../../core/ids.js";
import type { OrderStatus } from "../../core/order-status.js";
import type { SqlDialectName } from "../database.js";
import { createQueryTemplates, type QueryTemplates } from "../query-templates.js";
import type { DatabaseSchema } from "../schema.js";
import {
  bindOrderEvent,
  bindOrderTransition,
  type OrderPatch,
  type OrderRecord,
  toColumns,
  toOrder,
} from "./orders-repository.js";
import {
  type Position,
  type PositionInput,
  savePosition,
  toPosition,
} from "./positions-repository.js";

export interface FillInput {
  readonly orderId: OrderId;
  readonly from: readonly OrderStatus[];
  readonly patch: OrderPatch;
  readonly detail?: Record<string, unknown>;
  /** The position after this fill, from the one before it (undefined: none yet). */
  readonly applyToPosition: (current: Position | undefined) => PositionInput;
}

/**
 * Confirms an order and moves its position in ONE transaction, so a crash can neither confirm
 * a fill without counting it nor count it twice (the status compare-and-set guards both).
 */
export function createOrderFillsRepository(
  db: Kysely<DatabaseSchema>,
  clock: Clock,
  dialect: SqlDialectName,
  templates: QueryTemplates = createQueryTemplates(),
) {
  return {
    async confirmFill(input: FillInput): Promise<OrderRecord | undefined> {
      return db.transaction().execute(async (trx) => {
        const now = clock.now();
        const columns = { ...toColumns(input.patch), status: "CONFIRMED", updatedAt: now };
        const transition = { id: input.orderId, from: input.from, columns };
        const row = (await trx.executeQuery(bindOrderTransition(templates, db, transition)))
          .rows[0];
        if (row === undefined) return undefined;
        const event = { orderId: input.orderId, status: "CONFIRMED" as const, at: now };
        await trx.executeQuery(
          bindOrderEvent(templates, db, input.detail ? { ...event, detail: input.detail } : event),
        );
        const order = toOrder(row);
        // An empty row first, so the first two fills of a holding also lock the same row.
        await trx
          .insertInto("positions")
          .values({
            userId: order.userId,
            walletId: order.walletId,
            mint: order.mint,
            amount: "0",
            costLamports: "0",
            costUsdMicros: "0",
            realizedPnlLamports: "0",
            updatedAt: now,
          })
          .onConflict((oc) => oc.columns(["walletId", "mint"]).doNothing())
          .execute();
        let query = trx
          .selectFrom("positions")
          .selectAll()
          .where("walletId", "=", order.walletId)
          .where("mint", "=", order.mint);
        // PostgreSQL: lock the row so two fills of one holding apply one after the other.
        if (dialect === "postgres") query = query.modifyEnd(sql`for update`);
        const current = await query.executeTakeFirst();
        await savePosition(trx, input.applyToPosition(current && toPosition(current)), now);
        return order;
      });
    },
  };
}

export type OrderFillsRepository = ReturnType<typeof createOrderFillsRepository>;
