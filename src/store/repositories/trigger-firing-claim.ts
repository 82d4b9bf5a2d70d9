import { type Kysely, sql, type Transaction } from "kysely";
import type { Clock } from "../../core/clock.js";
import type { SqlDialectName } from "../database.js";
import type { DatabaseSchema, TriggerFiringsTable } from "../schema.js";
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

// Orders that spent nothing do not count against the day.
const UNSPENT_ORDER_STATUSES = ["FAILED", "EXPIRED", "REJECTED"];
const DAY_MS = 24 * 3_600_000;

export function createFiringClaim(
  db: Kysely<DatabaseSchema>,
  clock: Clock,
  dialect: SqlDialectName,
) {
  const pg = dialect === "postgres";

  async function spentSince(trx: Kysely<DatabaseSchema>, grantId: string, since: number) {
    const row = await trx
      .selectFrom("triggerFirings as f")
      .leftJoin("orders as o", "o.id", "f.orderId")
      .select(
        sql<
          string | number | null
        >`sum(cast(f.spend_lamports as ${sql.raw(pg ? "numeric" : "integer")}))`.as("spent"),
      )
      .where("f.grantId", "=", grantId)
      .where("f.createdAt", ">", since)
      .where("f.status", "in", ["CLAIMED", "PLACED"])
      .where((eb) =>
        eb.or([eb("o.status", "is", null), eb("o.status", "not in", UNSPENT_ORDER_STATUSES)]),
      )
      .executeTakeFirst();
    return BigInt(String(row?.spent ?? 0).split(".")[0] ?? "0");
  }

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
        .select([
          "id",
          "userId",
          "walletId",
          "type",
          "status",
          "ocoGroup",
          "firingNumber",
          "expiresAt",
        ])
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
      const grant = await trx
        .selectFrom("automationGrants")
        .selectAll()
        .where("walletId", "=", trigger.walletId)
        .where("status", "=", "ACTIVE")
        .$if(pg, (qb) => qb.forUpdate())
        .executeTakeFirst();
      if (!grant)
        return refuse(
          trx,
          trigger.id,
          "PAUSED",
          "GRANT_REVOKED",
          "The wallet has no active automation grant.",
        );
      if (Number(grant.expiresAt) <= now)
        return refuse(
          trx,
          trigger.id,
          "PAUSED",
          "GRANT_EXPIRED",
          "The wallet's automation grant has expired.",
        );
      if (!(JSON.parse(grant.orderTypes) as string[]).includes(trigger.type))
        return refuse(
          trx,
          trigger.id,
          "PAUSED",
          "GRANT_TYPE_NOT_ALLOWED",
          `The grant does not allow ${trigger.type} orders.`,
        );
      const maxOrder = BigInt(grant.maxOrderLamports);
      if (input.spendLamports > maxOrder)
        return refuse(
          trx,
          trigger.id,
          "FAILED",
          "GRANT_LIMIT_EXCEEDED",
          `maxOrderLamports: the order spends ${input.spendLamports} lamports, the grant allows ${maxOrder} per order.`,
        );
      const spent = await spentSince(trx, grant.id, now - DAY_MS);
      const maxDaily = BigInt(grant.maxDailyLamports);
      if (input.spendLamports > 0n && spent + input.spendLamports > maxDaily)
        return refuse(
          trx,
          trigger.id,
          "FAILED",
          "GRANT_LIMIT_EXCEEDED",
          `maxDailyLamports: ${spent} lamports spent in the last 24 hours plus ${input.spendLamports} would pass the grant's ${maxDaily}.`,
        );

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
        grantId: grant.id,
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
    spentSince: (grantId: string, since: number) => spentSince(db, grantId, since),
  };
}
