import type { Kysely, Transaction } from "kysely";
import type { Clock } from "../../core/clock.js";
import type { SqlDialectName } from "../database.js";
import type { DatabaseSchema, TriggerFiringsTable } from "../schema.js";
import { checkGrant, spentSince } from "./trigger-firing-grant-check.js";
import { type FiringRecord, firingKey, toFiring } from "./trigger-firing-record.js";

export interface ClaimInput {
  readonly triggerId: string;
  readonly leaseOwner: string;
  readonly leaseMs: number;
  readonly crossedAt: number;
  /** The order body, written verbatim, and what it may spend of the grant's SOL (0 for sells). */
  readonly request: Record<string, unknown>;
  readonly spendLamports: bigint;
}

export type ClaimResult =
  | { readonly outcome: "claimed"; readonly firing: FiringRecord }
  /** Someone else moved it first (another instance, a cancel, a pause). */
  | { readonly outcome: "not_armed" }
  /** A linked trigger is firing: this one waits (and is cancelled if that one is placed). */
  | { readonly outcome: "sibling_firing" }
  /** The trigger was paused (no usable grant) or failed (a limit): `reasonCode` says which. */
  | { readonly outcome: "refused"; readonly reasonCode: string; readonly reason: string };

export function createFiringClaim(
  db: Kysely<DatabaseSchema>,
  clock: Clock,
  dialect: SqlDialectName,
) {
  const pg = dialect === "postgres";

  async function refuse(
    trx: Transaction<DatabaseSchema>,
    id: string,
    to: string,
    reasonCode: string,
    reason: string,
  ): Promise<ClaimResult> {
    await trx
      .updateTable("triggers")
      .set({ status: to, reasonCode, reason, updatedAt: clock.now() })
      .where("id", "=", id)
      .where("status", "=", "ARMED")
      .execute();
    return { outcome: "refused", reasonCode, reason };
  }

  /**
   * ARMED → FIRING in one transaction with the grant row locked, the limits checked against the
   * grant's rolling day, and the firing row (its exact order body) written.
   */
  async function claim(input: ClaimInput): Promise<ClaimResult> {
    return db.transaction().execute(async (trx) => {
      const now = clock.now();
      const trigger = await trx
        .selectFrom("triggers")
        .select(["id", "userId", "walletId", "type", "status", "ocoGroup", "firingNumber"])
        .where("id", "=", input.triggerId)
        .$if(pg, (qb) => qb.forUpdate())
        .executeTakeFirst();
      if (trigger?.status !== "ARMED") return { outcome: "not_armed" };
      if (trigger.ocoGroup !== null) {
        const sibling = await trx
          .selectFrom("triggers")
          .select("id")
          .where("ocoGroup", "=", trigger.ocoGroup)
          .where("id", "!=", trigger.id)
          .where("status", "=", "FIRING")
          .executeTakeFirst();
        if (sibling) return { outcome: "sibling_firing" };
      }
      const checked = await checkGrant(trx, pg, trigger, input.spendLamports, now);
      if ("to" in checked)
        return refuse(trx, trigger.id, checked.to, checked.reasonCode, checked.reason);

      const firingNumber = Number(trigger.firingNumber) + 1;
      await trx
        .updateTable("triggers")
        .set({
          status: "FIRING",
          firingNumber,
          leaseOwner: input.leaseOwner,
          leaseUntil: now + input.leaseMs,
          reasonCode: null,
          reason: null,
          updatedAt: now,
        })
        .where("id", "=", trigger.id)
        .where("status", "=", "ARMED")
        .execute();
      const row: TriggerFiringsTable = {
        triggerId: trigger.id,
        firingNumber,
        userId: trigger.userId,
        grantId: checked.grantId,
        idempotencyKey: firingKey(trigger.id, firingNumber),
        request: JSON.stringify(input.request),
        spendLamports: input.spendLamports.toString(),
        status: "CLAIMED",
        orderId: null,
        reasonCode: null,
        reason: null,
        crossedAt: input.crossedAt,
        createdAt: now,
        updatedAt: now,
      };
      await trx.insertInto("triggerFirings").values(row).execute();
      return { outcome: "claimed", firing: toFiring(row) };
    });
  }

  return {
    claim,
    /** SOL the grant's firings spent since `since` (placed or in flight; failed orders excluded). */
    spentSince: (grantId: string, since: number) => spentSince(db, pg, grantId, since),
  };
}
