import type { Kysely } from "kysely";
import {
  decodeTriggerParams,
  encodeTriggerParams,
} from "../../automation/triggers/trigger-params-json.js";
import {
  ACTIVE_TRIGGER_STATUSES,
  type NewTrigger,
  type TriggerPatch,
  type TriggerRecord,
  type TriggerStatus,
  type TriggerType,
} from "../../automation/triggers/trigger-types.js";
import type { Clock } from "../../core/clock.js";
import { createUuidV7, type UserId, type WalletId } from "../../core/ids.js";
import type { DatabaseSchema, TriggersTable } from "../schema.js";

export interface TriggerListFilter {
  readonly status?: TriggerStatus;
  readonly walletId?: WalletId;
  readonly mint?: string;
  readonly limit?: number;
}

/** One firing of a trigger and the order it placed (null while claimed or when none was). */
export interface TriggerFiringSummary {
  readonly triggerId: string;
  readonly firingNumber: number;
  readonly orderId: string | null;
  /** The order's status, or the firing's own (CLAIMED, NOT_PLACED) when there is no order. */
  readonly status: string;
  readonly reasonCode: string | null;
}

const nullableNumber = (value: number | string | null) => (value === null ? null : Number(value));

function toTrigger(row: TriggersTable): TriggerRecord {
  const { params, slippageBps } = decodeTriggerParams(row.params);
  return {
    ...row,
    userId: row.userId as UserId,
    walletId: row.walletId as WalletId,
    type: row.type as TriggerType,
    status: row.status as TriggerStatus,
    params,
    slippageBps,
    // SQLite keeps booleans as 0/1
    acceptRisk: Boolean(row.acceptRisk),
    decimals: Number(row.decimals),
    firingNumber: Number(row.firingNumber),
    nextDueAt: nullableNumber(row.nextDueAt),
    leaseUntil: nullableNumber(row.leaseUntil),
    expiresAt: Number(row.expiresAt),
    createdAt: Number(row.createdAt),
    updatedAt: Number(row.updatedAt),
  };
}

function toRow(input: NewTrigger, now: number): TriggersTable {
  const { params, slippageBps, acceptRisk, ...rest } = input;
  return {
    ...rest,
    id: createUuidV7(now),
    status: "ARMED",
    reasonCode: null,
    reason: null,
    params: encodeTriggerParams(params, slippageBps),
    acceptRisk: acceptRisk ? 1 : 0,
    firingNumber: 0,
    leaseOwner: null,
    leaseUntil: null,
    createdAt: now,
    updatedAt: now,
  };
}

/** Standing orders; every status change is a compare-and-set on the statuses it may leave. */
export function createTriggersRepository(db: Kysely<DatabaseSchema>, clock: Clock) {
  const active = [...ACTIVE_TRIGGER_STATUSES];

  const repository = {
    async create(input: NewTrigger): Promise<TriggerRecord> {
      const row = toRow(input, clock.now());
      await db.insertInto("triggers").values(row).execute();
      return toTrigger(row);
    },

    /**
     * Writes a trigger linked (one cancels the other) to `linkedId`, which must still be ARMED or
     * PAUSED: both then share its group. Undefined, with nothing written, when it is not.
     */
    async createLinked(input: NewTrigger, linkedId: string): Promise<TriggerRecord | undefined> {
      return db.transaction().execute(async (trx) => {
        const linked = await trx
          .selectFrom("triggers")
          .select(["id", "ocoGroup"])
          .where("id", "=", linkedId)
          .executeTakeFirst();
        if (!linked) return undefined;
        const group = linked.ocoGroup ?? linked.id;
        const now = clock.now();
        const updated = await trx
          .updateTable("triggers")
          .set({ ocoGroup: group, updatedAt: now })
          .where("id", "=", linkedId)
          .where("status", "in", active)
          .where((eb) => eb.or([eb("ocoGroup", "is", null), eb("ocoGroup", "=", group)]))
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1) return undefined;
        const row = { ...toRow(input, now), ocoGroup: group };
        await trx.insertInto("triggers").values(row).execute();
        return toTrigger(row);
      });
    },

    async findById(id: string): Promise<TriggerRecord | undefined> {
      const row = await db
        .selectFrom("triggers")
        .selectAll()
        .where("id", "=", id)
        .executeTakeFirst();
      return row && toTrigger(row);
    },

    async findForUser(userId: UserId, id: string): Promise<TriggerRecord | undefined> {
      const row = await db
        .selectFrom("triggers")
        .selectAll()
        .where("id", "=", id)
        .where("userId", "=", userId)
        .executeTakeFirst();
      return row && toTrigger(row);
    },

    /** A user's triggers, newest first. */
    async listForUser(userId: UserId, filter: TriggerListFilter = {}): Promise<TriggerRecord[]> {
      let query = db.selectFrom("triggers").selectAll().where("userId", "=", userId);
      if (filter.status) query = query.where("status", "=", filter.status);
      if (filter.walletId) query = query.where("walletId", "=", filter.walletId);
      if (filter.mint) query = query.where("mint", "=", filter.mint);
      const rows = await query
        .orderBy("createdAt", "desc")
        .orderBy("id", "desc")
        .limit(filter.limit ?? 100)
        .execute();
      return rows.map(toTrigger);
    },

    /** Every ARMED trigger: what the price watcher evaluates. */
    async listArmed(): Promise<TriggerRecord[]> {
      const rows = await db
        .selectFrom("triggers")
        .selectAll()
        .where("status", "=", "ARMED")
        .execute();
      return rows.map(toTrigger);
    },

    /** Triggers written at or after `since` (any status): the watcher's index follows them. */
    async listChangedSince(since: number): Promise<TriggerRecord[]> {
      const rows = await db
        .selectFrom("triggers")
        .selectAll()
        .where("updatedAt", ">=", since)
        .execute();
      return rows.map(toTrigger);
    },

    /** The triggers sharing a link group. */
    async listGroup(ocoGroup: string): Promise<TriggerRecord[]> {
      const rows = await db
        .selectFrom("triggers")
        .selectAll()
        .where("ocoGroup", "=", ocoGroup)
        .execute();
      return rows.map(toTrigger);
    },

    /** Moves a trigger to `to` only if it is still in one of `from`; undefined when it was not. */
    async setStatus(
      id: string,
      from: readonly TriggerStatus[],
      to: TriggerStatus,
      patch: TriggerPatch = {},
    ): Promise<TriggerRecord | undefined> {
      const columns = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
      const row = await db
        .updateTable("triggers")
        .set({ ...columns, status: to, updatedAt: clock.now() })
        .where("id", "=", id)
        .where("status", "in", [...from])
        .returningAll()
        .executeTakeFirst();
      return row && toTrigger(row);
    },

    /** A user's cancel: ARMED or PAUSED → CANCELLED; undefined when it is not (or not theirs). */
    async cancel(userId: UserId, id: string, reasonCode: string, reason: string) {
      const row = await db
        .updateTable("triggers")
        .set({ status: "CANCELLED", reasonCode, reason, updatedAt: clock.now() })
        .where("id", "=", id)
        .where("userId", "=", userId)
        .where("status", "in", active)
        .returningAll()
        .executeTakeFirst();
      return row && toTrigger(row);
    },

    /** The wallet's grant ended: its ARMED triggers wait, with the reason. */
    async pauseForWallet(walletId: WalletId, reasonCode: string, reason: string) {
      const rows = await db
        .updateTable("triggers")
        .set({ status: "PAUSED", reasonCode, reason, updatedAt: clock.now() })
        .where("walletId", "=", walletId)
        .where("status", "=", "ARMED")
        .returningAll()
        .execute();
      return rows.map(toTrigger);
    },

    /** A new grant: PAUSED triggers of a type it allows, expiring within it, arm again. */
    async resumeForWallet(
      walletId: WalletId,
      grant: { readonly orderTypes: readonly TriggerType[]; readonly expiresAt: number },
    ): Promise<TriggerRecord[]> {
      if (grant.orderTypes.length === 0) return [];
      const now = clock.now();
      const rows = await db
        .updateTable("triggers")
        .set({ status: "ARMED", reasonCode: null, reason: null, updatedAt: now })
        .where("walletId", "=", walletId)
        .where("status", "=", "PAUSED")
        .where("type", "in", [...grant.orderTypes])
        .where("expiresAt", "<=", grant.expiresAt)
        .where("expiresAt", ">", now)
        .returningAll()
        .execute();
      return rows.map(toTrigger);
    },

    /** ARMED or PAUSED triggers past their expiry → EXPIRED. */
    async expireDue(now: number): Promise<TriggerRecord[]> {
      const rows = await db
        .updateTable("triggers")
        .set({
          status: "EXPIRED",
          reasonCode: "EXPIRED",
          reason: "The trigger expired before it fired.",
          updatedAt: clock.now(),
        })
        .where("status", "in", active)
        .where("expiresAt", "<=", now)
        .returningAll()
        .execute();
      return rows.map(toTrigger);
    },

    /** The firings of several triggers with their orders' statuses, oldest first per trigger. */
    async listFirings(triggerIds: readonly string[]): Promise<TriggerFiringSummary[]> {
      if (triggerIds.length === 0) return [];
      const rows = await db
        .selectFrom("triggerFirings as f")
        .leftJoin("orders as o", "o.id", "f.orderId")
        .select([
          "f.triggerId",
          "f.firingNumber",
          "f.orderId",
          "f.status as firingStatus",
          "f.reasonCode",
          "o.status as orderStatus",
        ])
        .where("f.triggerId", "in", [...new Set(triggerIds)])
        .orderBy("f.triggerId")
        .orderBy("f.firingNumber")
        .execute();
      return rows.map((row) => ({
        triggerId: row.triggerId,
        firingNumber: Number(row.firingNumber),
        orderId: row.orderId,
        status: row.orderStatus ?? row.firingStatus,
        reasonCode: row.reasonCode,
      }));
    },
  };
  return repository;
}

export type TriggersRepository = ReturnType<typeof createTriggersRepository>;
