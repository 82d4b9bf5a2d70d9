import {
  type Address,
  getAddressDecoder,
  getAddressEncoder,
  getProgramDerivedAddress,
} from "@solana/kit";

export const METAPLEX_METADATA_PROGRAM = "metaqbxxUerdq28cj1RbAWkYQm3ybzjb6a8bt518x1s" as Address;
const KEY_METADATA_V1 = 4;

/** What the analyzer needs from a token's metadata, whichever standard holds it. */
export interface TokenMetadataInfo {
  readonly source: "metaplex" | "token-2022";
  readonly name: string;
  readonly symbol: string;
  /** null when nobody can change the metadata any more. */
  readonly updateAuthority: Address | null;
  readonly isMutable: boolean;
}

/** The Metaplex metadata PDA: ["metadata", program id, mint] under the Token Metadata program. */
export function getMetaplexMetadataAddress(mint: Address): Promise<Address> {
  let address = metadataAddresses.get(mint);
  if (!address) {
    const encoder = getAddressEncoder();
    address = getProgramDerivedAddress({
      programAddress: METAPLEX_METADATA_PROGRAM,
      seeds: ["metadata", encoder.encode(METAPLEX_METADATA_PROGRAM), encoder.encode(mint)],
    }).then(([derived]) => derived);
    // A PDA never changes, and deriving one costs curve checks: remember the recent ones.
    if (metadataAddresses.size >= MAX_REMEMBERED) metadataAddresses.clear();
    metadataAddresses.set(mint, address);
  }
  return address;
}

const MAX_REMEMBERED = 10_000;
const metadataAddresses = new Map<Address, Promise<Address>>();

// The program pads strings with NULs to their maximum length; users should not see them.
const clean = (text: string) => text.replace(/\0+$/u, "").trim();

/**
 * Reads the head of a MetadataV1 account (Borsh): key, update authority, mint, name, symbol,
 * uri, seller fee, creators, primary sale, is_mutable. Returns null when the bytes are not
 * metadata for this mint (a spoofed or foreign account is as good as none).
 */
export function parseMetaplexMetadata(
  mint: Address,
  account: { readonly owner: string; readonly data: Uint8Array },
): TokenMetadataInfo | null {
  const { data } = account;
  if (account.owner !== METAPLEX_METADATA_PROGRAM || data[0] !== KEY_METADATA_V1) return null;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const addresses = getAddressDecoder();
  const text = new TextDecoder("utf-8", { fatal: false });
  try {
    let at = 1;
    const updateAuthority = addresses.decode(data, at);
    at += 32;
    if (addresses.decode(data, at) !== mint) return null;
    at += 32;
    const strings: string[] = [];
    for (let i = 0; i < 3; i++) {
      const length = view.getUint32(at, true);
      if (at + 4 + length > data.length) return null;
      strings.push(clean(text.decode(data.subarray(at + 4, at + 4 + length))));
      at += 4 + length;
    }
    at += 2; // seller_fee_basis_points
    if (data[at++] === 1) at += 4 + view.getUint32(at, true) * 34; // creators: Vec<Creator>
    at += 1; // primary_sale_happened
    if (at >= data.length) return null;
    const isMutable = data[at] === 1;
    return {
      source: "metaplex",
      name: strings[0] ?? "",
      symbol: strings[1] ?? "",
      updateAuthority,
      isMutable,
    };
  } catch {
    return null;
  }
}
