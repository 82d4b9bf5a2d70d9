import type { Kysely } from "kysely";
import type { SqlDialectName } from "../database.js";
import { getColumnTypes } from "./001-initial.js";

/**
 * What an order paid beyond the swap (the landed transaction's network fee, its priority fee,
 * a tip), how it was landed (`public` or MEV-`protected`, which the reconciler keeps to private
 * routes) and which swap API built it. The orders before this release were all v1 and public.
 */
export async function up(db: Kysely<unknown>, dialect: SqlDialectName): Promise<void> {
  const t = getColumnTypes(dialect);
  for (const column of ["network_fee_lamports", "priority_fee_lamports", "tip_lamports"]) {
    await db.schema.alterTable("orders").addColumn(column, t.money).execute();
  }
  await db.schema
    .alterTable("orders")
    .addColumn("landing_route", "text", (c) => c.notNull().defaultTo("public"))
    .execute();
  await db.schema
    .alterTable("orders")
    .addColumn("swap_api", "text", (c) => c.notNull().defaultTo("v1"))
    .execute();
}
