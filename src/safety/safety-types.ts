import type { TokenMint } from "../core/addresses.js";

/** The stable ids of every finding (CONTRACTS.md "Safety report"); clients branch on these. */
export const CHECK_IDS = [
  "mint_authority",
  "freeze_authority",
  "permanent_delegate",
  "non_transferable",
  "default_account_state",
  "pausable",
  "transfer_fee",
  "transfer_hook",
  "mint_close_authority",
  "confidential_transfer",
  "interest_bearing",
  "scaled_ui_amount",
  "metadata_missing",
  "metadata_mutable",
  "holder_concentration",
  "sell_route",
  "price_impact",
  "round_trip_loss",
  "allow_list",
  // A name or symbol that copies an allow-listed token's on another mint (issue 17).
  "impersonation",
  // Added to the contract's list: a Token-2022 extension type newer than our decoders.
  "unknown_extension",
] as const;

export type CheckId = (typeof CHECK_IDS)[number];

/** How much harm the risk a check looks for can do, whatever it found this time. */
export type Severity = "info" | "low" | "medium" | "high" | "critical";

/** `fail` blocks a buy; `unknown` (data could not be read) is never treated as a pass. */
export type CheckStatus = "pass" | "warn" | "fail" | "unknown";

export type Verdict = "ok" | "warn" | "block";

export type TokenProgramKind = "spl-token" | "token-2022";

export interface SafetyCheck {
  readonly id: CheckId;
  readonly severity: Severity;
  readonly status: CheckStatus;
  /** One sentence a user understands. */
  readonly detail: string;
}

export interface SafetyReport {
  readonly mint: TokenMint;
  readonly program: TokenProgramKind;
  readonly name: string | null;
  readonly symbol: string | null;
  readonly decimals: number;
  readonly supply: bigint;
  readonly verdict: Verdict;
  /** 0 (no risk found) to 100; see src/safety/README.md for the method. */
  readonly score: number;
  readonly checks: readonly SafetyCheck[];
  /** ISO 8601 time the chain was read. */
  readonly analyzedAt: string;
  /** The slot the mint was read at. */
  readonly slot: bigint;
}

/** The report as JSON: bigints as strings of integers, slot as a number. */
export interface SafetyReportJson
  extends Omit<SafetyReport, "supply" | "slot" | "checks" | "mint"> {
  readonly mint: string;
  readonly supply: string;
  readonly slot: number;
  readonly checks: SafetyCheck[];
}

/** In CONTRACTS.md's field order, so `osprey check --json` reads like the documented example. */
export function toSafetyReportJson(report: SafetyReport): SafetyReportJson {
  return {
    mint: report.mint,
    program: report.program,
    name: report.name,
    symbol: report.symbol,
    decimals: report.decimals,
    supply: report.supply.toString(),
    verdict: report.verdict,
    score: report.score,
    slot: Number(report.slot),
    analyzedAt: report.analyzedAt,
    checks: report.checks.map((check) => ({ ...check })),
  };
}
