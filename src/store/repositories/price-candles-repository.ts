import { type Kysely, sql } from "kysely";
import type { SqlDialectName } from "../database.js";
import type { DatabaseSchema, PriceCandlesTable } from "../schema.js";

export const MINUTE_MS = 60_000;

export interface PriceSample {
  readonly mint: string;
  /** Epoch milliseconds the price was read at. */
  readonly at: number;
  readonly priceUsd: number;
}

export interface Candle {
  readonly mint: string;
  /** Epoch milliseconds of the minute's start. */
  readonly startedAt: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

const toCandle = (row: PriceCandlesTable): Candle => ({
  mint: row.mint,
  // PostgreSQL's driver returns bigint columns as strings.
  startedAt: Number(row.startedAt),
  open: Number(row.open),
  high: Number(row.high),
  low: Number(row.low),
  close: Number(row.close),
});

export function createPriceCandlesRepository(db: Kysely<DatabaseSchema>, dialect: SqlDialectName) {
  // Two-argument max/min are greatest/least on PostgreSQL.
  const greater = dialect === "postgres" ? sql.raw("greatest") : sql.raw("max");
  const lesser = dialect === "postgres" ? sql.raw("least") : sql.raw("min");
  return {
    /**
     * Folds samples into their minutes' candles: the first sample of a minute opens it, each
     * one stretches high and low and becomes the close. One statement per call.
     */
    async addSamples(samples: readonly PriceSample[]): Promise<void> {
      const byKey = new Map<string, PriceCandlesTable>();
      for (const sample of [...samples].sort((a, b) => a.at - b.at)) {
        const startedAt = Math.floor(sample.at / MINUTE_MS) * MINUTE_MS;
        const key = `${sample.mint}:${startedAt}`;
        const known = byKey.get(key);
        const price = sample.priceUsd;
        byKey.set(
          key,
          known
            ? {
                ...known,
                high: Math.max(known.high, price),
                low: Math.min(known.low, price),
                close: price,
              }
            : { mint: sample.mint, startedAt, open: price, high: price, low: price, close: price },
        );
      }
      if (byKey.size === 0) return;
      await db
        .insertInto("priceCandles")
        .values([...byKey.values()])
        .onConflict((oc) =>
          oc.columns(["mint", "startedAt"]).doUpdateSet({
            high: sql<number>`${greater}(price_candles.high, excluded.high)`,
            low: sql<number>`${lesser}(price_candles.low, excluded.low)`,
            close: sql<number>`excluded.close`,
          }),
        )
        .execute();
    },

    /** The mint's candles from `sinceMs` (a minute start) on, oldest first. */
    async list(mint: string, sinceMs: number): Promise<Candle[]> {
      const rows = await db
        .selectFrom("priceCandles")
        .selectAll()
        .where("mint", "=", mint)
        .where("startedAt", ">=", sinceMs)
        .orderBy("startedAt")
        .execute();
      return rows.map(toCandle);
    },

    /** Deletes every candle that started before `beforeMs`; returns how many. */
    async prune(beforeMs: number): Promise<number> {
      const result = await db
        .deleteFrom("priceCandles")
        .where("startedAt", "<", beforeMs)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export type PriceCandlesRepository = ReturnType<typeof createPriceCandlesRepository>;
