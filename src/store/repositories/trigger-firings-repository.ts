import type { Kysely } from "kysely";
import type { Clock } from "../../core/clock.js";
import type { SqlDialectName } from "../database.js";
import type { DatabaseSchema } from "../schema.js";
import { createFiringClaim } from "./trigger-firing-claim.js";
import { createFiringLeases } from "./trigger-firing-leases.js";
import { type FiringRecord, toFiring } from "./trigger-firing-record.js";

export { type FiringRecord, type FiringStatus, firingKey } from "./trigger-firing-record.js";

/** trigger_firings, and the trigger-row transitions that must be atomic with them. */
export function createTriggerFiringsRepository(
  db: Kysely<DatabaseSchema>,
  clock: Clock,
  dialect: SqlDialectName,
) {
  return {
    ...createFiringClaim(db, clock, dialect),
    ...createFiringLeases(db, clock, dialect),
    async find(triggerId: string, firingNumber: number): Promise<FiringRecord | undefined> {
      const row = await db
        .selectFrom("triggerFirings")
        .selectAll()
        .where("triggerId", "=", triggerId)
        .where("firingNumber", "=", firingNumber)
        .executeTakeFirst();
      return row && toFiring(row);
    },
    /** The firings of these triggers (their JSON lists the orders), oldest first. */
    async listForTriggers(ids: readonly string[]): Promise<FiringRecord[]> {
      if (ids.length === 0) return [];
      const rows = await db
        .selectFrom("triggerFirings")
        .selectAll()
        .where("triggerId", "in", [...ids])
        .orderBy("triggerId")
        .orderBy("firingNumber")
        .execute();
      return rows.map(toFiring);
    },
    async findByOrder(orderId: string): Promise<FiringRecord | undefined> {
      const row = await db
        .selectFrom("triggerFirings")
        .selectAll()
        .where("orderId", "=", orderId)
        .executeTakeFirst();
      return row && toFiring(row);
    },
    /**
     * CLAIMED → PLACED with the order it placed (also for an order safety rejected). False when
     * another instance already recorded it: that one carries the trigger on.
     */
    async markPlaced(triggerId: string, firingNumber: number, orderId: string): Promise<boolean> {
      const result = await db
        .updateTable("triggerFirings")
        .set({ status: "PLACED", orderId, updatedAt: clock.now() })
        .where("triggerId", "=", triggerId)
        .where("firingNumber", "=", firingNumber)
        .where("status", "=", "CLAIMED")
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    /** CLAIMED → NOT_PLACED: the firing ended without an order (the trigger says why). */
    async markNotPlaced(
      triggerId: string,
      firingNumber: number,
      reasonCode: string,
      reason: string | null,
    ): Promise<void> {
      await db
        .updateTable("triggerFirings")
        .set({ status: "NOT_PLACED", reasonCode, reason, updatedAt: clock.now() })
        .where("triggerId", "=", triggerId)
        .where("firingNumber", "=", firingNumber)
        .where("status", "=", "CLAIMED")
        .execute();
    },
  };
}

export type TriggerFiringsRepository = ReturnType<typeof createTriggerFiringsRepository>;
