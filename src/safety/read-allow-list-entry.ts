import type { Address } from "@solana/kit";
import { OspreyError } from "../core/osprey-error.js";
import type { AllowListEntry } from "./allow-list.js";
import { AUTHORITY_KINDS, getMintAuthorities } from "./mint-authorities.js";
import { parseMintAccount } from "./parse-mint-account.js";
import type { SafetyRpc } from "./read-chain-facts.js";

/**
 * An allow-list entry pinned to a mint's authorities as they are now (trust on first use):
 * how the composition root vouches for a token it created itself, like the sandbox stable.
 */
export async function readAllowListEntry(
  rpc: Pick<SafetyRpc, "getMultipleAccounts">,
  mint: string,
  symbol: string,
): Promise<AllowListEntry> {
  const { value } = await rpc
    .getMultipleAccounts([mint as Address], { encoding: "base64", commitment: "confirmed" })
    .send();
  const account = value[0];
  if (!account) throw new OspreyError("TOKEN_NOT_FOUND", `No account exists at ${mint}.`, { mint });
  const parsed = parseMintAccount(mint, {
    owner: account.owner,
    data: new Uint8Array(Buffer.from(account.data[0], "base64")),
  });
  const current = getMintAuthorities(parsed);
  const authorities = Object.fromEntries(
    AUTHORITY_KINDS.flatMap((kind) => (current[kind] === null ? [] : [[kind, current[kind]]])),
  );
  return { mint, symbol, authorities };
}
