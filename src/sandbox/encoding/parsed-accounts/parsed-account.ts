/** agave's `{ type, info }` (serde's adjacently tagged enum: unit variants carry no `info`). */
export interface ParsedInfo {
  type: string;
  info?: unknown;
}

/** agave's ParsedAccount: the `data` of a jsonParsed UiAccount. */
export interface ParsedAccountData {
  program: string;
  parsed: ParsedInfo;
  space: bigint;
}

/** agave's UiFeeCalculator: lamports per signature as a string. */
export function toUiFeeCalculator(lamportsPerSignature: bigint) {
  return { lamportsPerSignature: lamportsPerSignature.toString() };
}
