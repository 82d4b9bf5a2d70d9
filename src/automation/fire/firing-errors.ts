import { isOspreyError } from "../../core/osprey-error.js";

/** Failures that pass: the firing stays FIRING and is retried with the same firing number. */
const TRANSIENT = new Set([
  "SWAP_API_UNAVAILABLE",
  "RATE_LIMITED",
  "BUSY",
  "DATABASE_UNAVAILABLE",
  "KV_UNAVAILABLE",
  "API_ERROR",
  "LANDER_CLOSED",
]);

/** What a failed placement means for the trigger. */
export type FiringFailure =
  | { readonly kind: "price_not_met" }
  | { readonly kind: "transient"; readonly code: string }
  /** The grant can no longer sign: the trigger pauses with this reason. */
  | { readonly kind: "grant"; readonly code: "GRANT_REVOKED" | "GRANT_EXPIRED" }
  | {
      readonly kind: "safety";
      readonly code: string;
      readonly orderId: string | null;
      readonly reason: string;
    }
  | { readonly kind: "permanent"; readonly code: string; readonly reason: string };

interface RiskyCheck {
  readonly id?: unknown;
  readonly status?: unknown;
  readonly detail?: unknown;
}

/** The safety checks a rejection named, as one line for the trigger's reason. */
export function describeChecks(checks: unknown): string {
  if (!Array.isArray(checks) || checks.length === 0) return "The token failed the safety analysis.";
  return (checks as RiskyCheck[])
    .map((check) => {
      const name = `${String(check.id)} (${String(check.status)})`;
      return check.detail ? `${name}: ${String(check.detail)}` : name;
    })
    .join("; ");
}

export function classifyFiringError(error: unknown): FiringFailure {
  if (!isOspreyError(error)) return { kind: "transient", code: "INTERNAL" };
  const { code, context } = error;
  if (code === "TRIGGER_PRICE_NOT_MET") return { kind: "price_not_met" };
  if (TRANSIENT.has(code) || code.startsWith("RPC_")) return { kind: "transient", code };
  if (code === "GRANT_EXPIRED") return { kind: "grant", code: "GRANT_EXPIRED" };
  if (code === "GRANT_NOT_FOUND") return { kind: "grant", code: "GRANT_REVOKED" };
  if (code === "SAFETY_BLOCKED" || code === "RISK_NOT_ACCEPTED") {
    const orderId = typeof context?.orderId === "string" ? context.orderId : null;
    return { kind: "safety", code, orderId, reason: describeChecks(context?.checks) };
  }
  return { kind: "permanent", code, reason: error.message };
}
