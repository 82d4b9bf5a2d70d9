import type { AllowListEntry } from "../allow-list.js";
import type { TokenMetadataInfo } from "../parse-metaplex-metadata.js";
import { type CheckResult, makeCheck } from "./make-check.js";

/**
 * Letters from other scripts (and digits) that render like Latin ones in a ticker: a fake
 * "USDС" with a Cyrillic С, or "mS0L" with a zero, must compare equal to the real one.
 */
const HOMOGLYPHS: Readonly<Record<string, string>> = {
  // Cyrillic
  а: "a",
  в: "b",
  е: "e",
  ё: "e",
  к: "k",
  м: "m",
  н: "h",
  о: "o",
  р: "p",
  с: "c",
  т: "t",
  у: "y",
  х: "x",
  ѕ: "s",
  і: "l",
  ї: "l",
  ј: "j",
  ԁ: "d",
  ԛ: "q",
  ԝ: "w",
  һ: "h",
  ӏ: "l",
  // Greek
  α: "a",
  β: "b",
  ε: "e",
  η: "n",
  ι: "l",
  κ: "k",
  ν: "v",
  ο: "o",
  ρ: "p",
  τ: "t",
  υ: "u",
  χ: "x",
  ζ: "z",
  μ: "u",
  // Look-alike digits and letters
  "0": "o",
  "1": "l",
  i: "l",
  "|": "l",
  "5": "s",
  $: "s",
};

/**
 * What a reader sees: case, spacing, punctuation, accents, invisible characters and homoglyphs
 * removed. "U S D C", "usdc", "USDС" (Cyrillic) and "ＵＳＤＣ" (full width) all give "usdc".
 */
export function normalizeTokenText(text: string): string {
  const folded = text.normalize("NFKD").toLowerCase().replace(/\p{M}/gu, "");
  let out = "";
  for (const char of folded) out += HOMOGLYPHS[char] ?? char;
  return out.replace(/[^\p{L}\p{N}]/gu, "");
}

/** Levenshtein distance, stopping early once it is beyond `limit`. */
function editDistanceWithin(a: string, b: string, limit: number): boolean {
  if (Math.abs(a.length - b.length) > limit) return false;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
      current.push(value);
      best = Math.min(best, value);
    }
    if (best > limit) return false;
    previous = current;
  }
  return (previous[b.length] ?? limit + 1) <= limit;
}

const MIN_NEAR_LENGTH = 4;
const MAX_AFFIX = 3;

/**
 * A near copy: one edit away ("USDT" for "USDC", "USDDC"), or the original with a short
 * prefix or suffix ("USDC2", "USDC.e", "wUSDC"). Short texts are left out: every
 * three-letter ticker is one edit away from hundreds of others.
 */
export function isNearCopy(candidate: string, original: string): boolean {
  if (candidate.length < MIN_NEAR_LENGTH || original.length < MIN_NEAR_LENGTH) return false;
  if (editDistanceWithin(candidate, original, 1)) return true;
  const extra = candidate.length - original.length;
  return (
    extra > 0 &&
    extra <= MAX_AFFIX &&
    (candidate.startsWith(original) || candidate.endsWith(original))
  );
}

type Likeness = "copy" | "near";

function compare(text: string | undefined, original: string | undefined): Likeness | null {
  if (!text || !original) return null;
  const a = normalizeTokenText(text);
  const b = normalizeTokenText(original);
  if (a === "" || b === "") return null;
  if (a === b) return "copy";
  return isNearCopy(a, b) ? "near" : null;
}

interface Resemblance {
  readonly entry: AllowListEntry;
  readonly field: "symbol" | "name";
  readonly likeness: Likeness;
}

function findResemblance(
  metadata: TokenMetadataInfo,
  entries: readonly AllowListEntry[],
): Resemblance | null {
  let near: Resemblance | null = null;
  // Later entries first (the operator's file, the pinned tokens), as for the allow-list match.
  for (const entry of [...entries].reverse()) {
    for (const field of ["symbol", "name"] as const) {
      const likeness = compare(metadata[field], entry[field]);
      if (likeness === "copy") return { entry, field, likeness };
      if (likeness === "near") near ??= { entry, field, likeness };
    }
  }
  return near;
}

/**
 * Fails a token whose on-chain name or symbol copies an allow-listed token's on another mint
 * (the commonest way a trader buys the wrong token from a search), warns on a near copy. The
 * allow-listed token itself passes; the finding is not waived by the allow-list.
 */
export function checkImpersonation(
  mint: string,
  metadata: TokenMetadataInfo | null,
  entries: readonly AllowListEntry[],
): CheckResult {
  const own = entries.find((entry) => entry.mint === mint);
  if (own) {
    return makeCheck(
      "impersonation",
      "pass",
      `This is the allow-listed ${own.symbol} itself, at its known mint.`,
    );
  }
  if (metadata === null || (metadata.name === "" && metadata.symbol === "")) {
    return makeCheck(
      "impersonation",
      "pass",
      "No on-chain name or symbol that could copy a known token.",
    );
  }
  const found = findResemblance(metadata, entries);
  if (found === null) {
    return makeCheck(
      "impersonation",
      "pass",
      "Its name and symbol do not resemble any allow-listed token's.",
    );
  }
  const theirs = found.field === "symbol" ? found.entry.symbol : (found.entry.name ?? "");
  const where = `the real ${found.entry.symbol} is ${found.entry.mint}`;
  return found.likeness === "copy"
    ? makeCheck(
        "impersonation",
        "fail",
        `Its ${found.field} "${metadata[found.field]}" copies ${found.entry.symbol}'s ("${theirs}") but this is another mint: an impersonator (${where}).`,
        { waivable: false },
      )
    : makeCheck(
        "impersonation",
        "warn",
        `Its ${found.field} "${metadata[found.field]}" looks like ${found.entry.symbol}'s ("${theirs}") on another mint: make sure this is the token you mean (${where}).`,
        { waivable: false },
      );
}
