import type { Kysely } from "kysely";
import type { Clock } from "../../core/clock.js";
import type { SqlDialectName } from "../database.js";
import type { DatabaseSchema } from "../schema.js";

/** Giving a claim back, taking over a dead instance's claims, and the placed firings to follow. */
export function createFiringLeases(
  db: Kysely<DatabaseSchema>,
  clock: Clock,
  dialect: SqlDialectName,
) {
  const pg = dialect === "postgres";
  return {
    /**
     * Undoes a claim whose order was refused before anything was written (the executable-price
     * guard): the firing row goes, the trigger is ARMED again with its firing number back.
     */
    async release(triggerId: string, firingNumber: number): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        const deleted = await trx
          .deleteFrom("triggerFirings")
          .where("triggerId", "=", triggerId)
          .where("firingNumber", "=", firingNumber)
          .where("status", "=", "CLAIMED")
          .where("orderId", "is", null)
          .executeTakeFirst();
        if (Number(deleted.numDeletedRows) === 0) return false;
        await trx
          .updateTable("triggers")
          .set({
            status: "ARMED",
            firingNumber: firingNumber - 1,
            leaseOwner: null,
            leaseUntil: null,
            updatedAt: clock.now(),
          })
          .where("id", "=", triggerId)
          .where("status", "=", "FIRING")
          .where("firingNumber", "=", firingNumber)
          .execute();
        return true;
      });
    },
    /**
     * FIRING triggers whose lease ran out with their firing still CLAIMED (the placing instance
     * died or gave up): leased to `owner` and returned, to be resumed with the same firing.
     */
    async takeExpiredLeases(owner: string, now: number, leaseMs: number, limit: number) {
      return db.transaction().execute(async (trx) => {
        const rows = await trx
          .selectFrom("triggers as t")
          .innerJoin("triggerFirings as f", (join) =>
            join.onRef("f.triggerId", "=", "t.id").onRef("f.firingNumber", "=", "t.firingNumber"),
          )
          .select(["t.id", "t.firingNumber"])
          .where("t.status", "=", "FIRING")
          .where("f.status", "=", "CLAIMED")
          .where((eb) => eb.or([eb("t.leaseUntil", "is", null), eb("t.leaseUntil", "<", now)]))
          .limit(limit)
          .$if(pg, (qb) => qb.forUpdate("t").skipLocked())
          .execute();
        const taken: { triggerId: string; firingNumber: number }[] = [];
        for (const row of rows) {
          const updated = await trx
            .updateTable("triggers")
            .set({ leaseOwner: owner, leaseUntil: now + leaseMs })
            .where("id", "=", row.id)
            .where("status", "=", "FIRING")
            .where((eb) => eb.or([eb("leaseUntil", "is", null), eb("leaseUntil", "<", now)]))
            .executeTakeFirst();
          if (Number(updated.numUpdatedRows) > 0)
            taken.push({ triggerId: row.id, firingNumber: Number(row.firingNumber) });
        }
        return taken;
      });
    },
    /** FIRING triggers whose current firing was placed: the outcome sweep follows their orders. */
    async listPlacedFiring(limit: number) {
      const rows = await db
        .selectFrom("triggers as t")
        .innerJoin("triggerFirings as f", (join) =>
          join.onRef("f.triggerId", "=", "t.id").onRef("f.firingNumber", "=", "t.firingNumber"),
        )
        .select(["t.id as triggerId", "f.firingNumber", "f.orderId"])
        .where("t.status", "=", "FIRING")
        .where("f.status", "=", "PLACED")
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        triggerId: r.triggerId,
        firingNumber: Number(r.firingNumber),
        orderId: r.orderId,
      }));
    },
  };
}
