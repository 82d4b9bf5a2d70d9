import type { CheckStatus, SafetyCheck, Severity, Verdict } from "./safety-types.js";

/**
 * Risk each finding adds (README: "Scoring"). A fail is a block whatever its severity; a warn
 * or unknown weighs by severity, unknown a little less than a confirmed warn.
 */
const WEIGHTS: Readonly<Record<Exclude<CheckStatus, "pass">, Readonly<Record<Severity, number>>>> =
  {
    fail: { critical: 0.9, high: 0.9, medium: 0.9, low: 0.9, info: 0.9 },
    warn: { critical: 0.35, high: 0.25, medium: 0.12, low: 0.05, info: 0 },
    unknown: { critical: 0.3, high: 0.2, medium: 0.08, low: 0.03, info: 0 },
  };

function weightOf(check: SafetyCheck): number {
  return check.status === "pass" ? 0 : WEIGHTS[check.status][check.severity];
}

/** Any fail blocks; any warn or unknown warns; only all-pass is ok. */
export function getVerdict(checks: readonly SafetyCheck[]): Verdict {
  if (checks.some((c) => c.status === "fail")) return "block";
  if (checks.some((c) => c.status === "warn" || c.status === "unknown")) return "warn";
  return "ok";
}

/**
 * 100 × (1 − Π(1 − wᵢ)): independent risks combine like probabilities, so two warns weigh more
 * than one but never reach a block's band. Bands: ok 0, warn 5–89, block 90–100.
 */
export function getScore(checks: readonly SafetyCheck[], verdict: Verdict): number {
  const safe = checks.reduce((kept, check) => kept * (1 - weightOf(check)), 1);
  const raw = Math.round(100 * (1 - safe));
  switch (verdict) {
    case "ok":
      return 0;
    case "warn":
      return Math.min(89, Math.max(5, raw));
    case "block":
      return Math.max(90, Math.min(100, raw));
    default:
      return verdict satisfies never;
  }
}
