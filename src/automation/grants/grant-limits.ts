import { OspreyError } from "../../core/osprey-error.js";
import { TRIGGER_TYPES, type TriggerType } from "../triggers/trigger-types.js";
import type { GrantLimits } from "./grant-types.js";

/** The longest a grant may last. */
export const MAX_GRANT_MS = 30 * 86_400_000;
/** A grant must outlive its own request by at least this much. */
export const MIN_GRANT_MS = 60_000;

function refuse(field: string, message: string): never {
  throw new OspreyError("INVALID_INPUT", message, { field });
}

/** The grant limits as the API takes them (amounts as digit strings, expiry ISO), checked. */
export function parseGrantLimits(
  body: {
    readonly maxOrderLamports: string;
    readonly maxDailyLamports: string;
    readonly orderTypes: readonly string[];
    readonly expiresAt: string;
  },
  now: number,
): GrantLimits {
  const amount = (field: string, text: string) => {
    if (!/^\d{1,20}$/.test(text)) refuse(field, `${field} must be a whole number of lamports.`);
    return BigInt(text);
  };
  const expiresAt = Date.parse(body.expiresAt);
  if (!Number.isFinite(expiresAt)) refuse("expiresAt", "expiresAt must be an ISO date.");
  const limits = {
    maxOrderLamports: amount("maxOrderLamports", body.maxOrderLamports),
    maxDailyLamports: amount("maxDailyLamports", body.maxDailyLamports),
    orderTypes: body.orderTypes as TriggerType[],
    expiresAt,
  };
  assertGrantLimits(limits, now);
  return limits;
}

/** INVALID_INPUT unless the limits are ones a user may grant at `now`. */
export function assertGrantLimits(limits: GrantLimits, now: number): void {
  const { maxOrderLamports, maxDailyLamports, orderTypes, expiresAt } = limits;
  if (maxOrderLamports <= 0n) refuse("maxOrderLamports", "maxOrderLamports must be above 0.");
  if (maxDailyLamports <= 0n) refuse("maxDailyLamports", "maxDailyLamports must be above 0.");
  if (maxOrderLamports > maxDailyLamports)
    refuse("maxOrderLamports", "maxOrderLamports cannot exceed maxDailyLamports.");
  if (orderTypes.length === 0) refuse("orderTypes", "orderTypes needs at least one order type.");
  if (!orderTypes.every((type) => (TRIGGER_TYPES as readonly string[]).includes(type)))
    refuse("orderTypes", `orderTypes are among ${TRIGGER_TYPES.join(", ")}.`);
  if (new Set(orderTypes).size !== orderTypes.length)
    refuse("orderTypes", "orderTypes lists each type once.");
  if (!Number.isSafeInteger(expiresAt) || expiresAt < now + MIN_GRANT_MS)
    refuse("expiresAt", "expiresAt must be at least a minute from now.");
  if (expiresAt > now + MAX_GRANT_MS)
    refuse("expiresAt", "expiresAt must be at most 30 days from now.");
}
