import { type Kysely, sql } from "kysely";
import type { DatabaseSchema } from "../schema.js";

// Orders that spent nothing do not count against the day.
const UNSPENT_ORDER_STATUSES = ["FAILED", "EXPIRED", "REJECTED"];
const DAY_MS = 24 * 3_600_000;

/** Why a firing may not go ahead: the trigger moves to `to` with this reason. */
export interface GrantRefusal {
  readonly to: "PAUSED" | "FAILED";
  readonly reasonCode: string;
  readonly reason: string;
}

/** SOL a grant's firings spent since `since`: placed or in flight, orders that failed excluded. */
export async function spentSince(
  db: Kysely<DatabaseSchema>,
  pg: boolean,
  grantId: string,
  since: number,
): Promise<bigint> {
  const row = await db
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

/**
 * The wallet's grant, locked (PostgreSQL `FOR UPDATE`) so concurrent firings count each other's
 * spend, checked for this firing: active, not expired, the type allowed, both limits kept.
 */
export async function checkGrant(
  trx: Kysely<DatabaseSchema>,
  pg: boolean,
  trigger: { walletId: string; type: string },
  spendLamports: bigint,
  now: number,
): Promise<{ grantId: string } | GrantRefusal> {
  const grant = await trx
    .selectFrom("automationGrants")
    .selectAll()
    .where("walletId", "=", trigger.walletId)
    .where("status", "=", "ACTIVE")
    .$if(pg, (qb) => qb.forUpdate())
    .executeTakeFirst();
  const pause = (reasonCode: string, reason: string) => ({
    to: "PAUSED" as const,
    reasonCode,
    reason,
  });
  const fail = (reason: string) => ({
    to: "FAILED" as const,
    reasonCode: "GRANT_LIMIT_EXCEEDED",
    reason,
  });
  if (!grant) return pause("GRANT_REVOKED", "The wallet has no active automation grant.");
  if (Number(grant.expiresAt) <= now)
    return pause("GRANT_EXPIRED", "The wallet's automation grant has expired.");
  if (!(JSON.parse(grant.orderTypes) as string[]).includes(trigger.type))
    return pause("GRANT_TYPE_NOT_ALLOWED", `The grant does not allow ${trigger.type} orders.`);
  const maxOrder = BigInt(grant.maxOrderLamports);
  if (spendLamports > maxOrder)
    return fail(
      `maxOrderLamports: the order spends ${spendLamports} lamports, the grant allows ${maxOrder} per order.`,
    );
  const spent = await spentSince(trx, pg, grant.id, now - DAY_MS);
  const maxDaily = BigInt(grant.maxDailyLamports);
  if (spendLamports > 0n && spent + spendLamports > maxDaily)
    return fail(
      `maxDailyLamports: ${spent} lamports spent in the last 24 hours plus ${spendLamports} would pass the grant's ${maxDaily}.`,
    );
  return { grantId: grant.id };
}
