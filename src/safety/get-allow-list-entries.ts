import { type AllowListEntry, loadAllowListFile, MAINNET_ALLOW_LIST } from "./allow-list.js";
import { readAllowListEntry } from "./read-allow-list-entry.js";
import type { SafetyRpc } from "./read-chain-facts.js";

export interface AllowListSources {
  readonly rpc: Pick<SafetyRpc, "getMultipleAccounts">;
  /** The operator's JSON file of extra entries (OSPREY_SAFETY_ALLOW_LIST), when set. */
  readonly file?: string | undefined;
  /** Tokens vouched for as they are now (the sandbox's stable), by symbol. */
  readonly pinnedMints?: Readonly<Record<string, string>>;
}

/**
 * The analyzer's allow-list: the built-in majors, then the operator's file, then the pinned
 * tokens (a later entry for a mint wins). The server and `osprey check` both build it here, so
 * one token gets one verdict whichever door it comes through.
 */
export async function getAllowListEntries(sources: AllowListSources): Promise<AllowListEntry[]> {
  const fromFile = sources.file ? loadAllowListFile(sources.file) : [];
  const pinned = await Promise.all(
    Object.entries(sources.pinnedMints ?? {}).map(([symbol, mint]) =>
      readAllowListEntry(sources.rpc, mint, symbol),
    ),
  );
  return [...MAINNET_ALLOW_LIST, ...fromFile, ...pinned];
}
