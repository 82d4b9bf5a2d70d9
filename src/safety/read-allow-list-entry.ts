import type { Address } from "@solana/kit";
import { OspreyError } from "../core/osprey-error.js";
import type { AllowListEntry } from "./allow-list.js";
import { getTokenMetadata } from "./checks/metadata-checks.js";
import { AUTHORITY_KINDS, getMintAuthorities } from "./mint-authorities.js";
import { getMetaplexMetadataAddress, parseMetaplexMetadata } from "./parse-metaplex-metadata.js";
import { parseMintAccount } from "./parse-mint-account.js";
import type { SafetyRpc } from "./read-chain-facts.js";

const toBytes = (data: readonly [string, string]) => new Uint8Array(Buffer.from(data[0], "base64"));

/**
 * An allow-list entry pinned to a mint's authorities as they are now (trust on first use):
 * how the composition root vouches for a token it created itself, like the sandbox stable.
 * Its name is read from its metadata, so the impersonation check can spot copies of it.
 */
export async function readAllowListEntry(
  rpc: Pick<SafetyRpc, "getMultipleAccounts">,
  mint: string,
  symbol: string,
): Promise<AllowListEntry> {
  const metadataAddress = await getMetaplexMetadataAddress(mint as Address);
  const { value } = await rpc
    .getMultipleAccounts([mint as Address, metadataAddress], {
      encoding: "base64",
      commitment: "confirmed",
    })
    .send();
  const [account, metadataAccount] = value;
  if (!account) throw new OspreyError("TOKEN_NOT_FOUND", `No account exists at ${mint}.`, { mint });
  const parsed = parseMintAccount(mint, { owner: account.owner, data: toBytes(account.data) });
  const metaplex = metadataAccount
    ? parseMetaplexMetadata(mint as Address, {
        owner: metadataAccount.owner,
        data: toBytes(metadataAccount.data),
      })
    : null;
  const name = getTokenMetadata(mint, parsed, metaplex)?.name;
  const current = getMintAuthorities(parsed);
  const authorities = Object.fromEntries(
    AUTHORITY_KINDS.flatMap((kind) => (current[kind] === null ? [] : [[kind, current[kind]]])),
  );
  return { mint, symbol, ...(name ? { name } : {}), authorities };
}
