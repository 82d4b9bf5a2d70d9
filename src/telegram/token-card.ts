import { formatUnits, formatUsd } from "../core/amounts.js";
import type { SafetyCheck, SafetyReport } from "../safety/safety-types.js";
import { encodeButton } from "./callback-data.js";

/** An inline keyboard button as the Bot API takes it. */
export interface CardButton {
  readonly text: string;
  readonly callback_data: string;
}

/** A message in Telegram's HTML parse mode, with its inline keyboard. */
export interface ChatCard {
  readonly text: string;
  readonly keyboard: CardButton[][];
}

export interface TokenCardInput {
  readonly report: SafetyReport;
  readonly priceUsd: number | null;
  readonly liquidityUsd: number | null;
  /** The user's buy presets (their settings), in lamports. */
  readonly buyPresetsLamports: readonly bigint[];
  /** The Telegram user the card is for: only they can press its buttons. */
  readonly owner: number;
}

/** How many of the failing checks a card names (the worst first). */
const MAIN_REASONS = 3;
const SEVERITY_RANK = { critical: 0, high: 1, medium: 2, low: 3, info: 4 } as const;
const STATUS_RANK = { fail: 0, warn: 1, unknown: 2, pass: 3 } as const;

/** Telegram's HTML parse mode needs these three escaped, and nothing else. */
export function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

export const formatSol = (lamports: bigint) => `${formatUnits(lamports, 9)} SOL`;

/** The checks that did not pass, the worst first: what a card gives as its reasons. */
export function mainReasons(report: SafetyReport, count = MAIN_REASONS): SafetyCheck[] {
  return report.checks
    .filter((check) => check.status === "fail" || check.status === "warn")
    .sort(
      (a, b) =>
        STATUS_RANK[a.status] - STATUS_RANK[b.status] ||
        SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity],
    )
    .slice(0, count);
}

const VERDICT_LINE = {
  ok: "✅ Safety: ok",
  warn: "⚠️ Safety: warn — buying asks you to confirm",
  block: "⛔ Safety: block — not buyable here",
} as const;

/**
 * A token's card: name, mint (in a code entity: the buttons read it from there), price,
 * liquidity, the safety verdict with its main reasons, and buy buttons — none for a `block`.
 */
export function renderTokenCard(input: TokenCardInput): ChatCard {
  const { report, owner } = input;
  const title = [report.name, report.symbol ? `(${report.symbol})` : null]
    .filter(Boolean)
    .join(" ");
  const market = [
    `Price ${input.priceUsd === null ? "unknown" : formatUsd(input.priceUsd)}`,
    `Liquidity ${input.liquidityUsd === null ? "unknown" : formatUsd(input.liquidityUsd)}`,
  ].join(" · ");
  const reasons = mainReasons(report).map(
    (check) => `• ${escapeHtml(check.id)}: ${escapeHtml(check.detail)}`,
  );
  const lines = [
    `<b>${escapeHtml(title || "Unnamed token")}</b>`,
    `<code>${report.mint}</code>`,
    market,
    `${VERDICT_LINE[report.verdict]} (risk ${report.score}/100)`,
    ...reasons,
  ];
  const refresh = [{ text: "↻ Refresh", callback_data: encodeButton({ kind: "refresh", owner }) }];
  if (report.verdict === "block") return { text: lines.join("\n"), keyboard: [refresh] };
  const presets = input.buyPresetsLamports.map((lamports) => ({
    text: `Buy ${formatSol(lamports)}`,
    callback_data: encodeButton({ kind: "buy", lamports, owner }),
  }));
  const rows: CardButton[][] = [];
  for (let i = 0; i < presets.length; i += 3) rows.push(presets.slice(i, i + 3));
  rows.push([
    { text: "Buy X SOL", callback_data: encodeButton({ kind: "buy_custom", owner }) },
    ...refresh,
  ]);
  return { text: lines.join("\n"), keyboard: rows };
}

/**
 * A `warn` token's buy, asked to be confirmed: the reasons listed, one button that places it
 * (its own callback data, so the first tap alone never buys).
 */
export function renderBuyConfirmation(
  report: SafetyReport,
  lamports: bigint,
  owner: number,
): ChatCard {
  const reasons = mainReasons(report, report.checks.length).map(
    (check) => `• ${escapeHtml(check.id)}: ${escapeHtml(check.detail)}`,
  );
  return {
    text: [
      `⚠️ Buy ${formatSol(lamports)} of <b>${escapeHtml(report.symbol ?? report.name ?? "this token")}</b> despite:`,
      `<code>${report.mint}</code>`,
      ...reasons,
    ].join("\n"),
    keyboard: [
      [
        {
          text: `Yes, buy ${formatSol(lamports)}`,
          callback_data: encodeButton({ kind: "buy_confirmed", lamports, owner }),
        },
      ],
    ],
  };
}
