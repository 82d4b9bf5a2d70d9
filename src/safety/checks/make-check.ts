import type { CheckId, CheckStatus, SafetyCheck, Severity } from "../safety-types.js";

/** The harm each risk can do; a check keeps its severity whatever it found (README: scoring). */
export const CHECK_SEVERITY: Readonly<Record<CheckId, Severity>> = {
  mint_authority: "high",
  freeze_authority: "critical",
  permanent_delegate: "critical",
  non_transferable: "critical",
  default_account_state: "critical",
  pausable: "critical",
  transfer_fee: "high",
  transfer_hook: "high",
  mint_close_authority: "medium",
  confidential_transfer: "medium",
  interest_bearing: "low",
  scaled_ui_amount: "medium",
  metadata_missing: "low",
  metadata_mutable: "low",
  holder_concentration: "high",
  sell_route: "critical",
  price_impact: "high",
  round_trip_loss: "critical",
  allow_list: "info",
  unknown_extension: "high",
  impersonation: "critical",
};

/** A check as the analyzer builds it; `waivable: false` keeps an allow-listed token's finding. */
export interface CheckResult extends SafetyCheck {
  readonly waivable?: boolean;
}

export function makeCheck(
  id: CheckId,
  status: CheckStatus,
  detail: string,
  options: { waivable?: boolean } = {},
): CheckResult {
  return {
    id,
    severity: CHECK_SEVERITY[id],
    status,
    detail,
    ...(options.waivable === false ? { waivable: false } : {}),
  };
}

export const percent = (fraction: number): string =>
  `${(fraction * 100).toFixed(fraction < 0.01 && fraction > 0 ? 2 : 1).replace(/\.0$/u, "")}%`;

export const bpsPercent = (bps: number): string => percent(bps / 10_000);
