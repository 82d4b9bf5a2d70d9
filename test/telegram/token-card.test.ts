import { describe, expect, it } from "vitest";
import type { TokenMint } from "../../src/core/addresses.js";
import type { SafetyCheck, SafetyReport } from "../../src/safety/safety-types.js";
import { decodeButton } from "../../src/telegram/callback-data.js";
import { renderBuyConfirmation, renderTokenCard } from "../../src/telegram/token-card.js";

const MINT = "4k3Dyjzvzp8eMZWUXbBCjEvwSkkk59S5iCNLY3QrkX6R" as TokenMint;
const OWNER = 812_345_678;
const PRESETS = [100_000_000n, 500_000_000n, 1_000_000_000n];

const check = (
  id: SafetyCheck["id"],
  status: SafetyCheck["status"],
  severity: SafetyCheck["severity"],
  detail: string,
): SafetyCheck => ({ id, status, severity, detail });

function report(
  verdict: SafetyReport["verdict"],
  checks: SafetyCheck[],
  name = "Bonky",
): SafetyReport {
  return {
    mint: MINT,
    program: "spl-token",
    name,
    symbol: "BONKY",
    decimals: 6,
    supply: 1_000_000_000_000n,
    verdict,
    score: verdict === "ok" ? 5 : verdict === "warn" ? 45 : 95,
    checks,
    analyzedAt: "2026-12-06T00:00:00.000Z",
    slot: 1n,
  };
}

const buttons = (card: ReturnType<typeof renderTokenCard>) =>
  card.keyboard.flat().map((b) => ({ text: b.text, action: decodeButton(b.callback_data) }));

describe("token card", () => {
  it("shows a healthy token's name, mint, market and verdict, with a button per preset", () => {
    const card = renderTokenCard({
      report: report("ok", [check("mint_authority", "pass", "high", "renounced")]),
      priceUsd: 0.00001234,
      liquidityUsd: 12_345.6,
      buyPresetsLamports: PRESETS,
      owner: OWNER,
    });
    expect(card.text).toBe(
      [
        "<b>Bonky (BONKY)</b>",
        `<code>${MINT}</code>`,
        "Price $0.0000123 · Liquidity $12,345.60",
        "✅ Safety: ok (risk 5/100)",
      ].join("\n"),
    );
    expect(buttons(card)).toEqual([
      { text: "Buy 0.1 SOL", action: { kind: "buy", lamports: 100_000_000n, owner: OWNER } },
      { text: "Buy 0.5 SOL", action: { kind: "buy", lamports: 500_000_000n, owner: OWNER } },
      { text: "Buy 1 SOL", action: { kind: "buy", lamports: 1_000_000_000n, owner: OWNER } },
      { text: "Buy X SOL", action: { kind: "buy_custom", owner: OWNER } },
      { text: "↻ Refresh", action: { kind: "refresh", owner: OWNER } },
    ]);
  });

  it("gives a blocked token's main reasons, worst first, and no buy button", () => {
    const card = renderTokenCard({
      report: report("block", [
        check("metadata_mutable", "warn", "low", "metadata can change"),
        check("sell_route", "fail", "critical", "no route sells it back"),
        check("freeze_authority", "fail", "high", "the mint can freeze accounts"),
        check("transfer_fee", "warn", "medium", "a 5% transfer fee"),
        check("mint_authority", "pass", "high", "renounced"),
      ]),
      priceUsd: null,
      liquidityUsd: null,
      buyPresetsLamports: PRESETS,
      owner: OWNER,
    });
    expect(card.text.split("\n").slice(2)).toEqual([
      "Price unknown · Liquidity unknown",
      "⛔ Safety: block — not buyable here (risk 95/100)",
      "• sell_route: no route sells it back",
      "• freeze_authority: the mint can freeze accounts",
      "• transfer_fee: a 5% transfer fee",
    ]);
    expect(buttons(card).map((b) => b.action?.kind)).toEqual(["refresh"]);
  });

  it("escapes what the token's creator chose, and asks a warn buy to be confirmed with every reason", () => {
    const risky = report(
      "warn",
      [
        check("freeze_authority", "warn", "high", "can <b>freeze</b> & more"),
        check("metadata_mutable", "warn", "low", "metadata can change"),
      ],
      "<a href='x'>Free</a> & Co",
    );
    const card = renderTokenCard({
      report: risky,
      priceUsd: 1,
      liquidityUsd: 1,
      buyPresetsLamports: [250_000_000n],
      owner: OWNER,
    });
    expect(card.text).toContain("<b>&lt;a href='x'&gt;Free&lt;/a&gt; &amp; Co (BONKY)</b>");
    expect(card.text).toContain("• freeze_authority: can &lt;b&gt;freeze&lt;/b&gt; &amp; more");
    expect(buttons(card)[0]?.action).toEqual({ kind: "buy", lamports: 250_000_000n, owner: OWNER });

    const confirm = renderBuyConfirmation(risky, 250_000_000n, OWNER);
    expect(confirm.text.split("\n")).toEqual([
      "⚠️ Buy 0.25 SOL of <b>BONKY</b> despite:",
      `<code>${MINT}</code>`,
      "• freeze_authority: can &lt;b&gt;freeze&lt;/b&gt; &amp; more",
      "• metadata_mutable: metadata can change",
    ]);
    expect(buttons(confirm)).toEqual([
      {
        text: "Yes, buy 0.25 SOL",
        action: { kind: "buy_confirmed", lamports: 250_000_000n, owner: OWNER },
      },
    ]);
  });
});
