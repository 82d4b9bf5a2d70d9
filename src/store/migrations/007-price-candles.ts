import type { Kysely } from "kysely";

/**
 * One-minute USD price candles of the tokens someone views or holds, folded from the price
 * sampler's samples (src/tokens/price-sampler.ts) and pruned past CANDLE_RETENTION_HOURS.
 * Prices are for display, so they are floating point, unlike money.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("price_candles")
    .addColumn("mint", "text", (c) => c.notNull())
    .addColumn("started_at", "bigint", (c) => c.notNull())
    .addColumn("open", "double precision", (c) => c.notNull())
    .addColumn("high", "double precision", (c) => c.notNull())
    .addColumn("low", "double precision", (c) => c.notNull())
    .addColumn("close", "double precision", (c) => c.notNull())
    .addPrimaryKeyConstraint("price_candles_pk", ["mint", "started_at"])
    .execute();
  await db.schema
    .createIndex("price_candles_started_at_idx")
    .on("price_candles")
    .column("started_at")
    .execute();
}
