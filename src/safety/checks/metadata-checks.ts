import type { TokenMetadataInfo } from "../parse-metaplex-metadata.js";
import { findExtension, type ParsedMint } from "../parse-mint-account.js";
import { type CheckResult, makeCheck } from "./make-check.js";

/**
 * The token's metadata: Token-2022's own metadata extension when the pointer names the mint
 * itself, else the Metaplex account at the mint's PDA. An external pointer is not followed.
 */
export function getTokenMetadata(
  mintAddress: string,
  mint: ParsedMint,
  metaplex: TokenMetadataInfo | null,
): TokenMetadataInfo | null {
  const embedded = findExtension(mint, "TokenMetadata");
  const pointer = findExtension(mint, "MetadataPointer");
  const pointsHere =
    pointer === undefined ||
    (pointer.metadataAddress.__option === "Some" && pointer.metadataAddress.value === mintAddress);
  if (embedded && embedded.mint === mintAddress && pointsHere) {
    const authority =
      embedded.updateAuthority.__option === "Some" ? embedded.updateAuthority.value : null;
    return {
      source: "token-2022",
      name: embedded.name,
      symbol: embedded.symbol,
      updateAuthority: authority,
      isMutable: authority !== null,
    };
  }
  return metaplex;
}

export function checkMetadataMissing(metadata: TokenMetadataInfo | null): CheckResult {
  if (metadata === null) {
    return makeCheck(
      "metadata_missing",
      "warn",
      "The token has no on-chain name or symbol (no Metaplex or Token-2022 metadata).",
    );
  }
  if (metadata.name === "" && metadata.symbol === "") {
    return makeCheck(
      "metadata_missing",
      "warn",
      "The token's metadata has an empty name and symbol.",
    );
  }
  const where = metadata.source === "metaplex" ? "Metaplex metadata" : "Token-2022 metadata";
  return makeCheck(
    "metadata_missing",
    "pass",
    `Named "${metadata.name}" (${metadata.symbol}) in its ${where}.`,
  );
}

const SYSTEM_PROGRAM = "11111111111111111111111111111111";

export function checkMetadataMutable(metadata: TokenMetadataInfo | null): CheckResult {
  if (metadata === null) {
    return makeCheck("metadata_mutable", "pass", "There is no metadata that could be changed.");
  }
  const live =
    metadata.isMutable &&
    metadata.updateAuthority !== null &&
    metadata.updateAuthority !== SYSTEM_PROGRAM;
  return live
    ? makeCheck(
        "metadata_mutable",
        "warn",
        `${metadata.updateAuthority} can still change the token's name, symbol and image (e.g. to impersonate another token).`,
      )
    : makeCheck("metadata_mutable", "pass", "The metadata can no longer be changed.");
}
