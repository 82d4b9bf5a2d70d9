import type { Kysely } from "kysely";
import type { Clock } from "../../core/clock.js";
import type { SqlDialectName } from "../database.js";
import type { DatabaseSchema, UserWebhooksTable } from "../schema.js";

export interface WebhookRecord {
  readonly userId: string;
  readonly url: string;
  readonly secret: string;
  readonly createdAt: number;
}

/** A delivery claimed for an attempt, with where to send it as the user's webhook is now. */
export interface DueDelivery {
  readonly id: string;
  readonly userId: string;
  readonly eventType: string;
  readonly payload: string;
  readonly attempts: number;
  readonly createdAt: number;
  /** Null when the user removed their webhook meanwhile. */
  readonly webhook: { readonly url: string; readonly secret: string } | null;
}

export interface NewDelivery {
  readonly id: string;
  readonly userId: string;
  readonly eventType: string;
  readonly payload: string;
}

const toWebhook = (row: UserWebhooksTable): WebhookRecord => ({
  userId: row.userId,
  url: row.url,
  secret: row.secret,
  createdAt: Number(row.createdAt),
});

/** Users' webhooks and the delivery outbox (src/automation/webhooks). */
export function createWebhooksRepository(
  db: Kysely<DatabaseSchema>,
  clock: Clock,
  dialect: SqlDialectName,
) {
  return {
    async find(userId: string): Promise<WebhookRecord | undefined> {
      const row = await db
        .selectFrom("userWebhooks")
        .selectAll()
        .where("userId", "=", userId)
        .executeTakeFirst();
      return row && toWebhook(row);
    },

    /** Sets or replaces the user's webhook (a new secret each time). */
    async set(userId: string, url: string, secret: string): Promise<WebhookRecord> {
      const now = clock.now();
      const row = await db
        .insertInto("userWebhooks")
        .values({ userId, url, secret, createdAt: now, updatedAt: now })
        .onConflict((conflict) =>
          conflict.column("userId").doUpdateSet({ url, secret, createdAt: now, updatedAt: now }),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
      return toWebhook(row);
    },

    async remove(userId: string): Promise<boolean> {
      const result = await db
        .deleteFrom("userWebhooks")
        .where("userId", "=", userId)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    /** Queues a delivery, due now. */
    async enqueue(delivery: NewDelivery): Promise<void> {
      const now = clock.now();
      await db
        .insertInto("webhookDeliveries")
        .values({
          ...delivery,
          status: "PENDING",
          attempts: 0,
          nextAttemptAt: now,
          leaseUntil: null,
          lastError: null,
          createdAt: now,
          deliveredAt: null,
        })
        .execute();
    },

    /**
     * Claims up to `limit` due deliveries for `leaseMs` (their next attempt moves past the lease,
     * so one that dies mid-attempt is retried after it). PostgreSQL skips rows another instance
     * holds; SQLite serves one instance.
     */
    async claimDue(limit: number, leaseMs: number): Promise<DueDelivery[]> {
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        let due = trx
          .selectFrom("webhookDeliveries")
          .select("id")
          .where("status", "=", "PENDING")
          .where("nextAttemptAt", "<=", now)
          .orderBy("nextAttemptAt")
          .limit(limit);
        if (dialect === "postgres") due = due.forUpdate().skipLocked();
        const ids = (await due.execute()).map((row) => row.id);
        if (ids.length === 0) return [];
        const leaseUntil = now + leaseMs;
        await trx
          .updateTable("webhookDeliveries")
          .set({ leaseUntil, nextAttemptAt: leaseUntil })
          .where("id", "in", ids)
          .execute();
        const rows = await trx
          .selectFrom("webhookDeliveries as d")
          .leftJoin("userWebhooks as w", "w.userId", "d.userId")
          .select(["d.id", "d.userId", "d.eventType", "d.payload", "d.attempts", "d.createdAt"])
          .select(["w.url", "w.secret"])
          .where("d.id", "in", ids)
          .orderBy("d.nextAttemptAt")
          .execute();
        return rows.map(({ url, secret, ...row }) => ({
          ...row,
          createdAt: Number(row.createdAt),
          webhook: url && secret ? { url, secret } : null,
        }));
      });
    },

    async markDelivered(id: string, attempts: number): Promise<void> {
      const now = clock.now();
      await db
        .updateTable("webhookDeliveries")
        .set({ status: "DELIVERED", attempts, deliveredAt: now, leaseUntil: null, lastError: null })
        .where("id", "=", id)
        .execute();
    },

    /** Another attempt at `nextAttemptAt`, or FAILED when `nextAttemptAt` is null. */
    async markAttemptFailed(
      id: string,
      attempts: number,
      error: string,
      nextAttemptAt: number | null,
    ): Promise<void> {
      await db
        .updateTable("webhookDeliveries")
        .set({
          status: nextAttemptAt === null ? "FAILED" : "PENDING",
          attempts,
          lastError: error.slice(0, 500),
          leaseUntil: null,
          ...(nextAttemptAt === null ? {} : { nextAttemptAt }),
        })
        .where("id", "=", id)
        .execute();
    },
  };
}

export type WebhooksRepository = ReturnType<typeof createWebhooksRepository>;
