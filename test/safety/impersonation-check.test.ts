import { describe, expect, it } from "vitest";
import type { AllowListEntry } from "../../src/safety/allow-list.js";
import { MAINNET_ALLOW_LIST } from "../../src/safety/allow-list.js";
import {
  checkImpersonation,
  isNearCopy,
  normalizeTokenText,
} from "../../src/safety/checks/impersonation-check.js";
import type { TokenMetadataInfo } from "../../src/safety/parse-metaplex-metadata.js";
import { getScore, getVerdict } from "../../src/safety/score-checks.js";

const USDC = MAINNET_ALLOW_LIST.find((entry) => entry.symbol === "USDC") as AllowListEntry;
const OTHER_MINT = "4Nd1mBQtrMJVYVfKf2PJy9NZUZdTAsp7D4xWLs4gDB4T";

const meta = (symbol: string, name: string): TokenMetadataInfo => ({
  source: "metaplex",
  name,
  symbol,
  updateAuthority: null,
  isMutable: false,
});

const check = (symbol: string, name: string, mint = OTHER_MINT) =>
  checkImpersonation(mint, meta(symbol, name), MAINNET_ALLOW_LIST);

describe("impersonation check", () => {
  it("fails an exact copy of an allow-listed symbol or name on another mint, and the verdict blocks", () => {
    const copy = check("USDC", "Totally Real Dollar");
    expect(copy).toMatchObject({ id: "impersonation", status: "fail", severity: "critical" });
    expect(copy.detail).toContain(USDC.mint);
    expect(getVerdict([copy])).toBe("block");
    expect(getScore([copy], "block")).toBeGreaterThanOrEqual(90);
    expect(check("XYZ", "USD Coin").status).toBe("fail");
    // The allow-list does not waive it.
    expect(copy.waivable).toBe(false);
  });

  it("sees through case, spacing, punctuation, full width, invisible characters and homoglyphs", () => {
    for (const symbol of ["usdc", " U S D C ", "U.S.D.C", "ＵＳＤＣ", "US\u200bDC", "USDС", "ՍSDC"])
      expect(check(symbol, "x").status, JSON.stringify(symbol)).not.toBe("pass");
    expect(check("USDС", "x").status).toBe("fail"); // Cyrillic Es
    expect(check("mS0L", "x").status).toBe("fail"); // zero for O
    expect(check("JitoSΟL", "x").status).toBe("fail"); // Greek Omicron
    expect(normalizeTokenText("Ｊｉｔｏ Staked SOL")).toBe(normalizeTokenText("jito staked sol"));
  });

  it("warns on a near copy: one edit away, or a short prefix or suffix", () => {
    for (const symbol of ["USDC2", "USDC.e", "wUSDC", "USDCC", "USDX"])
      expect(check(symbol, "Something Else").status, symbol).toBe("warn");
    expect(check("ABC", "USD Coin 2").status).toBe("warn");
    expect(check("ABC", "Jito Staked SOL!").status).toBe("fail");
    expect(getVerdict([check("USDC2", "x")])).toBe("warn");
    expect(isNearCopy("usdc", "usdt")).toBe(true);
    expect(isNearCopy("usdcoin", "usdc")).toBe(true);
    expect(isNearCopy("usdcoinxx", "usdc")).toBe(false);
  });

  it("passes the allow-listed token itself, unrelated tokens, short texts and missing metadata", () => {
    expect(check("USDC", "USD Coin", USDC.mint)).toMatchObject({ status: "pass" });
    expect(check("BONKY", "Bonky").status).toBe("pass");
    expect(check("USD", "Dollar").status).toBe("pass"); // three letters: no near-copy rule
    expect(check("SOL", "Solana").status).toBe("pass");
    expect(checkImpersonation(OTHER_MINT, null, MAINNET_ALLOW_LIST).status).toBe("pass");
    expect(check("", "").status).toBe("pass");
  });

  it("compares with operator and pinned entries too, by their names", () => {
    const pinned: AllowListEntry = {
      mint: OTHER_MINT,
      symbol: "USDC",
      name: "USD Coin (sandbox)",
      authorities: {},
    };
    const fake = checkImpersonation(
      "So11111111111111111111111111111111111111112",
      meta("DOLLAR", "USD Coin (Sandbox)"),
      [pinned],
    );
    expect(fake.status).toBe("fail");
    expect(fake.detail).toContain("name");
  });
});
