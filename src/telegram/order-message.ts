import { formatUnits } from "../core/amounts.js";
import type { OrderRecord } from "../store/repositories/orders-repository.js";
import { escapeHtml, formatSol } from "./token-card.js";

/** What the chat calls a token: its symbol and decimals, when known. */
export interface MintLabel {
  readonly symbol: string | null;
  readonly decimals: number | null;
}

const PROGRESS: Record<string, string> = {
  PENDING: "checking the token and quoting",
  QUOTED: "quoted, signing",
  SIGNED: "signed, sending",
  SUBMITTED: "sent, waiting for confirmation",
};

const amountOf = (amount: bigint, label: MintLabel) =>
  label.decimals === null
    ? `${amount} base units`
    : `${formatUnits(amount, label.decimals)} ${escapeHtml(label.symbol ?? "tokens")}`;

/**
 * An order as one chat message, edited in place as it moves: pending → confirmed with amounts,
 * commission and fees, or failed with its reason. The mint is in a `code` entity.
 */
export function renderOrderMessage(
  order: OrderRecord,
  label: MintLabel,
  explorerUrl: ((signature: string) => string) | null,
): string {
  const name = escapeHtml(label.symbol ?? "token");
  const what =
    order.side === "buy"
      ? `Buy ${formatSol(order.amountIn)} of <b>${name}</b>`
      : `Sell ${amountOf(order.amountIn, label)}`;
  const lines: string[] = [];
  const progress = PROGRESS[order.status];
  if (progress) lines.push(`⏳ ${what}: ${progress}…`);
  else if (order.status === "CONFIRMED") {
    const out = order.amountOut ?? 0n;
    lines.push(
      order.side === "buy"
        ? `✅ Bought ${amountOf(out, label)} for ${formatSol(order.amountIn)}`
        : `✅ Sold ${amountOf(order.amountIn, label)} for ${formatSol(out)}`,
    );
    const fees = [
      order.commissionLamports === null
        ? null
        : `commission ${formatSol(order.commissionLamports)}`,
      order.networkFeeLamports === null
        ? null
        : `network fee ${formatSol(order.networkFeeLamports)}`,
      order.tipLamports === null ? null : `tip ${formatSol(order.tipLamports)}`,
    ].filter(Boolean);
    if (fees.length) lines.push(fees.join(" · "));
  } else {
    lines.push(`❌ ${what}: ${order.status}`);
    if (order.error) lines.push(escapeHtml(order.error));
  }
  lines.push(`<code>${order.mint}</code>`);
  if (order.signature && explorerUrl)
    lines.push(`<a href="${escapeHtml(explorerUrl(order.signature))}">View transaction</a>`);
  else if (order.signature) lines.push(`tx <code>${order.signature}</code>`);
  return lines.join("\n");
}
