export { write } from "../store/write-or-unavailable.js";

import { OspreyError } from "../core/osprey-error.js";
import type { SafetyReport } from "../safety/safety-types.js";
import type { OrderRequest } from "./order-request.js";
import { SOL_MINT } from "./price-client.js";

export function assertTradable(request: OrderRequest): void {
  if (request.mint === SOL_MINT)
    throw new OspreyError("INVALID_INPUT", "Trade a token against SOL, not SOL itself.");
  const amount = request.side === "buy" ? request.amountLamports : request.amount;
  // The swap API's client carries amounts as numbers: refuse what would lose precision.
  if (amount !== undefined && amount > BigInt(Number.MAX_SAFE_INTEGER))
    throw new OspreyError("INVALID_AMOUNT", "The amount is too large to quote exactly.", {
      max: String(Number.MAX_SAFE_INTEGER),
    });
}

/** A block always refuses; a warn refuses unless the risk was accepted (orders and buy triggers alike). */
export function safetyRejection(
  report: SafetyReport,
  request: Pick<OrderRequest, "side" | "acceptRisk">,
  blockedMessage?: string,
): OspreyError | null {
  const risky = report.checks.filter((check) => check.status !== "pass");
  const context = { verdict: report.verdict, score: report.score, checks: risky };
  if (report.verdict === "block") return new OspreyError("SAFETY_BLOCKED", blockedMessage, context);
  if (report.verdict === "warn" && !request.acceptRisk)
    return new OspreyError("RISK_NOT_ACCEPTED", undefined, context);
  return null;
}
