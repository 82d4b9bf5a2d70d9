import type { Kysely } from "kysely";
import type { GrantRecord, GrantStatus } from "../../automation/grants/grant-types.js";
import type { TriggerType } from "../../automation/triggers/trigger-types.js";
import type { Clock } from "../../core/clock.js";
import type { UserId, WalletId } from "../../core/ids.js";
import type { SqlDialectName } from "../database.js";
import type { AutomationGrantsTable, DatabaseSchema } from "../schema.js";

/** A grant to write: the id is chosen by the caller, which sealed the key bound to it. */
export type NewGrant = Omit<
  GrantRecord,
  "status" | "createdAt" | "updatedAt" | "endedAt" | "endReason"
> & { readonly sealedKey: string };

// Orders that ended without spending: their firings no longer count against the day.
const UNSPENT_ORDER_STATUSES = ["FAILED", "EXPIRED", "REJECTED"];

function toGrant(row: AutomationGrantsTable): GrantRecord {
  return {
    ...row,
    userId: row.userId as UserId,
    walletId: row.walletId as WalletId,
    status: row.status as GrantStatus,
    maxOrderLamports: BigInt(row.maxOrderLamports),
    maxDailyLamports: BigInt(row.maxDailyLamports),
    orderTypes: JSON.parse(row.orderTypes) as TriggerType[],
    expiresAt: Number(row.expiresAt),
    createdAt: Number(row.createdAt),
    updatedAt: Number(row.updatedAt),
    endedAt: row.endedAt === null ? null : Number(row.endedAt),
  };
}

export function createAutomationGrantsRepository(
  db: Kysely<DatabaseSchema>,
  clock: Clock,
  dialect: SqlDialectName,
) {
  return {
    /** The wallet's ACTIVE grant; its expiry is not checked here (callers do). */
    async findActive(walletId: string): Promise<GrantRecord | undefined> {
      const row = await db
        .selectFrom("automationGrants")
        .selectAll()
        .where("walletId", "=", walletId)
        .where("status", "=", "ACTIVE")
        .executeTakeFirst();
      return row && toGrant(row);
    },

    async findById(id: string): Promise<GrantRecord | undefined> {
      const row = await db
        .selectFrom("automationGrants")
        .selectAll()
        .where("id", "=", id)
        .executeTakeFirst();
      return row && toGrant(row);
    },

    /** A user's grants, newest first. */
    async listForUser(userId: string, walletId?: string): Promise<GrantRecord[]> {
      let query = db.selectFrom("automationGrants").selectAll().where("userId", "=", userId);
      if (walletId !== undefined) query = query.where("walletId", "=", walletId);
      const rows = await query.orderBy("createdAt", "desc").orderBy("id", "desc").execute();
      return rows.map(toGrant);
    },

    /** Writes an ACTIVE grant, revoking (key destroyed) the wallet's previous one in the same transaction. */
    async create(input: NewGrant): Promise<{ grant: GrantRecord; replaced: GrantRecord | null }> {
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        // PostgreSQL: one grant change per wallet at a time, so two never end up ACTIVE.
        if (dialect === "postgres")
          await trx
            .selectFrom("wallets")
            .select("id")
            .where("id", "=", input.walletId)
            .forUpdate()
            .execute();
        const replaced = await trx
          .updateTable("automationGrants")
          .set({ status: "REVOKED", sealedKey: null, endedAt: now, endReason: "replaced" })
          .set({ updatedAt: now })
          .where("walletId", "=", input.walletId)
          .where("status", "=", "ACTIVE")
          .returningAll()
          .executeTakeFirst();
        const row: AutomationGrantsTable = {
          id: input.id,
          userId: input.userId,
          walletId: input.walletId,
          publicKey: input.publicKey,
          status: "ACTIVE",
          maxOrderLamports: input.maxOrderLamports.toString(),
          maxDailyLamports: input.maxDailyLamports.toString(),
          orderTypes: JSON.stringify(input.orderTypes),
          expiresAt: input.expiresAt,
          sealedKey: input.sealedKey,
          createdAt: now,
          updatedAt: now,
          endedAt: null,
          endReason: null,
        };
        await trx.insertInto("automationGrants").values(row).execute();
        return { grant: toGrant(row), replaced: replaced ? toGrant(replaced) : null };
      });
    },

    /** ACTIVE → REVOKED/EXPIRED with the sealed key set to NULL; undefined when it was not ACTIVE. */
    async end(
      id: string,
      status: Exclude<GrantStatus, "ACTIVE">,
      reason: string,
    ): Promise<GrantRecord | undefined> {
      const now = clock.now();
      const row = await db
        .updateTable("automationGrants")
        .set({ status, sealedKey: null, endedAt: now, endReason: reason, updatedAt: now })
        .where("id", "=", id)
        .where("status", "=", "ACTIVE")
        .returningAll()
        .executeTakeFirst();
      return row && toGrant(row);
    },

    /** ACTIVE grants whose expiry is at or before `now`. */
    async listExpired(now: number): Promise<GrantRecord[]> {
      const rows = await db
        .selectFrom("automationGrants")
        .selectAll()
        .where("status", "=", "ACTIVE")
        .where("expiresAt", "<=", now)
        .execute();
      return rows.map(toGrant);
    },

    /**
     * Lamports the grant's firings committed since `since`: CLAIMED ones, and PLACED ones whose
     * order did not end unspent (FAILED/EXPIRED/REJECTED). The daily limit and GrantJson use it.
     */
    async spentSince(grantId: string, since: number): Promise<bigint> {
      const rows = await db
        .selectFrom("triggerFirings as f")
        .leftJoin("orders as o", "o.id", "f.orderId")
        .select(["f.spendLamports", "f.status", "o.status as orderStatus"])
        .where("f.grantId", "=", grantId)
        .where("f.createdAt", ">=", since)
        .where("f.status", "in", ["CLAIMED", "PLACED"])
        .execute();
      let total = 0n;
      for (const row of rows) {
        if (row.status === "PLACED" && UNSPENT_ORDER_STATUSES.includes(row.orderStatus ?? ""))
          continue;
        total += BigInt(row.spendLamports);
      }
      return total;
    },
  };
}

export type AutomationGrantsRepository = ReturnType<typeof createAutomationGrantsRepository>;
