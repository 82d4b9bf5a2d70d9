import type { Address } from "@solana/kit";
import { tryParse } from "./bincode-reader.js";
import { parseConfig } from "./parse-config.js";
import { parseLookupTable } from "./parse-lookup-table.js";
import { parseNonce } from "./parse-nonce.js";
import { parseStake } from "./parse-stake.js";
import { parseSysvar } from "./parse-sysvar.js";
import { parseUpgradeableLoader } from "./parse-upgradeable-loader.js";
import { parseVote } from "./parse-vote.js";
import type { ParsedAccountData, ParsedInfo } from "./parsed-account.js";

type Parser = (data: Uint8Array, address: Address) => ParsedInfo | null;

/** agave's PARSABLE_PROGRAM_IDS (tokens aside): owner → [program name, parser]. */
const PARSERS: Record<string, readonly [string, Parser]> = {
  AddressLookupTab1e1111111111111111111111111: ["address-lookup-table", parseLookupTable],
  BPFLoaderUpgradeab1e11111111111111111111111: ["bpf-upgradeable-loader", parseUpgradeableLoader],
  Config1111111111111111111111111111111111111: ["config", parseConfig],
  "11111111111111111111111111111111": ["nonce", parseNonce],
  Stake11111111111111111111111111111111111111: ["stake", parseStake],
  Sysvar1111111111111111111111111111111111111: ["sysvar", parseSysvar],
  Vote111111111111111111111111111111111111111: ["vote", parseVote],
};

/**
 * jsonParsed data of a non-token account, or null when agave would not parse it (unknown owner
 * or malformed data): the caller then falls back to `[base64, "base64"]`.
 */
export function parseAccountData(
  address: Address,
  owner: Address,
  data: Uint8Array,
): ParsedAccountData | null {
  const entry = PARSERS[owner];
  if (!entry) return null;
  const [program, parse] = entry;
  const parsed = tryParse(() => parse(data, address));
  return parsed ? { program, parsed, space: BigInt(data.length) } : null;
}
