import type { Kysely, Selectable } from "kysely";
import type { Clock } from "../../core/clock.js";
import type { UserId } from "../../core/ids.js";
import type { AuditLogTable, DatabaseSchema } from "../schema.js";

export interface AuditEvent {
  readonly userId: UserId | null;
  /** A stable verb such as `wallet.unlock` or `wallet.export`. */
  readonly action: string;
  readonly targetType?: string;
  readonly targetId?: string;
  readonly ip?: string;
  /** Never secrets: callers pass ids, outcomes and reasons only. */
  readonly detail?: Readonly<Record<string, unknown>>;
}

export interface AuditEntry extends Required<Omit<AuditEvent, "detail">> {
  readonly id: number;
  readonly at: number;
  readonly detail: Record<string, unknown> | null;
}

function toEntry(row: Selectable<AuditLogTable>): AuditEntry {
  return {
    id: Number(row.id),
    userId: row.userId as UserId | null,
    action: row.action,
    targetType: row.targetType ?? "",
    targetId: row.targetId ?? "",
    ip: row.ip ?? "",
    at: row.at,
    detail: row.detail ? (JSON.parse(row.detail) as Record<string, unknown>) : null,
  };
}

export function createAuditLogRepository(db: Kysely<DatabaseSchema>, clock: Clock) {
  return {
    async record(event: AuditEvent): Promise<void> {
      await db
        .insertInto("auditLog")
        .values({
          userId: event.userId,
          action: event.action,
          targetType: event.targetType ?? null,
          targetId: event.targetId ?? null,
          ip: event.ip ?? null,
          detail: event.detail ? JSON.stringify(event.detail) : null,
          at: clock.now(),
        })
        .execute();
    },

    /** One entry, only if it is the user's own. */
    async findForUser(userId: UserId, id: number): Promise<AuditEntry | undefined> {
      const row = await db
        .selectFrom("auditLog")
        .selectAll()
        .where("userId", "=", userId)
        .where("id", "=", id)
        .executeTakeFirst();
      return row && toEntry(row);
    },

    /** A user's own entries, newest first. */
    async listForUser(userId: UserId, limit = 100): Promise<AuditEntry[]> {
      const rows = await db
        .selectFrom("auditLog")
        .selectAll()
        .where("userId", "=", userId)
        .orderBy("id", "desc")
        .limit(limit)
        .execute();
      return rows.map(toEntry);
    },
  };
}

export type AuditLogRepository = ReturnType<typeof createAuditLogRepository>;
