import type { Kysely } from "kysely";
import type { SqlDialectName } from "../database.js";
import { getColumnTypes } from "./001-initial.js";

/** The USD paid for the tokens still held (micro-dollars, at each fill's SOL price), for avg cost in USD. */
export async function up(db: Kysely<unknown>, dialect: SqlDialectName): Promise<void> {
  const t = getColumnTypes(dialect);
  await db.schema
    .alterTable("positions")
    .addColumn("cost_usd_micros", t.money, (c) => c.notNull().defaultTo("0"))
    .execute();
}
