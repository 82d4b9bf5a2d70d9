/**
 * Token safety: honeypot and rug detection before every buy. See README.md for the method.
 * `createTokenAnalyzer(...).analyzeToken(mint)` → a report with a verdict, a score and one
 * finding per check id.
 */
export {
  ALLOW_LIST_ENV,
  type AllowList,
  type AllowListEntry,
  type AllowListMatch,
  createAllowList,
  loadAllowListFile,
  MAINNET_ALLOW_LIST,
} from "./allow-list.js";
export { CHECK_SEVERITY } from "./checks/make-check.js";
export { type AllowListSources, getAllowListEntries } from "./get-allow-list-entries.js";
export {
  AUTHORITY_KINDS,
  type AuthorityKind,
  getMintAuthorities,
  type MintAuthorities,
} from "./mint-authorities.js";
export { getMetaplexMetadataAddress, parseMetaplexMetadata } from "./parse-metaplex-metadata.js";
export { type ParsedMint, parseMintAccount, parseMintExtensions } from "./parse-mint-account.js";
export { readAllowListEntry } from "./read-allow-list-entry.js";
export type { SafetyRpc } from "./read-chain-facts.js";
export { NATIVE_MINT, type QuoteSource } from "./read-market-facts.js";
export {
  CHECK_IDS,
  type CheckId,
  type CheckStatus,
  type SafetyCheck,
  type SafetyReport,
  type SafetyReportJson,
  type Severity,
  type TokenProgramKind,
  toSafetyReportJson,
  type Verdict,
} from "./safety-types.js";
export { getScore, getVerdict } from "./score-checks.js";
export {
  type AnalyzeOptions,
  createTokenAnalyzer,
  type TokenAnalyzer,
  type TokenAnalyzerOptions,
} from "./token-analyzer.js";
