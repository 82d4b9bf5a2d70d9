import type { TriggerFiringsTable } from "../schema.js";

export type FiringStatus = "CLAIMED" | "PLACED" | "NOT_PLACED";

/** One firing of a trigger (schema.ts TriggerFiringsTable), amounts as bigint. */
export interface FiringRecord {
  readonly triggerId: string;
  readonly firingNumber: number;
  readonly userId: string;
  readonly grantId: string;
  readonly idempotencyKey: string;
  /** The exact order body, fixed at claim and reused verbatim on resume. */
  readonly request: Record<string, unknown>;
  readonly spendLamports: bigint;
  readonly status: FiringStatus;
  readonly orderId: string | null;
  readonly reasonCode: string | null;
  readonly reason: string | null;
  readonly crossedAt: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export function toFiring(row: TriggerFiringsTable): FiringRecord {
  return {
    ...row,
    firingNumber: Number(row.firingNumber),
    request: JSON.parse(row.request) as Record<string, unknown>,
    spendLamports: BigInt(row.spendLamports),
    status: row.status as FiringStatus,
    crossedAt: Number(row.crossedAt),
    createdAt: Number(row.createdAt),
    updatedAt: Number(row.updatedAt),
  };
}

/** The idempotency key of a firing's order: one per trigger and firing number, ever. */
export function firingKey(triggerId: string, firingNumber: number): string {
  return `trigger:${triggerId}:${firingNumber}`;
}
