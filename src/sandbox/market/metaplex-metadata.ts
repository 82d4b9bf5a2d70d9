import {
  type Address,
  getAddressEncoder,
  getProgramDerivedAddress,
  getUtf8Encoder,
} from "@solana/kit";
import type { SandboxChain } from "../index.js";

export const METADATA_PROGRAM = "metaqbxxUerdq28cj1RbAWkYQm3ybzjb6a8bt518x1s" as Address;
const MAX_NAME = 32;
const MAX_SYMBOL = 10;
const MAX_URI = 200;
/** Size Token Metadata allocates for a MetadataV1 account (MAX_METADATA_LEN). */
export const METADATA_ACCOUNT_SIZE = 679;

export interface MetaplexMetadata {
  mint: Address;
  updateAuthority: Address;
  name: string;
  symbol: string;
  uri: string;
  sellerFeeBasisPoints?: number;
  isMutable: boolean;
}

export async function getMetadataAddress(mint: Address): Promise<Address> {
  const encoder = getAddressEncoder();
  const [address] = await getProgramDerivedAddress({
    programAddress: METADATA_PROGRAM,
    seeds: ["metadata", encoder.encode(METADATA_PROGRAM), encoder.encode(mint)],
  });
  return address;
}

/**
 * A MetadataV1 account in Token Metadata's Borsh layout, strings padded with NULs to their
 * maximum length as the program stores them, so standard decoders (and `trim("\0")`) read it.
 */
export function encodeMetaplexMetadata(metadata: MetaplexMetadata): Uint8Array {
  const out = new Uint8Array(METADATA_ACCOUNT_SIZE);
  const view = new DataView(out.buffer);
  const addresses = getAddressEncoder();
  let at = 0;
  out[at++] = 4; // Key::MetadataV1
  out.set(addresses.encode(metadata.updateAuthority), at);
  at += 32;
  out.set(addresses.encode(metadata.mint), at);
  at += 32;
  for (const [text, max] of [
    [metadata.name, MAX_NAME],
    [metadata.symbol, MAX_SYMBOL],
    [metadata.uri, MAX_URI],
  ] as const) {
    const bytes = getUtf8Encoder().encode(text).slice(0, max);
    view.setUint32(at, max, true);
    out.set(bytes, at + 4);
    at += 4 + max;
  }
  view.setUint16(at, metadata.sellerFeeBasisPoints ?? 0, true);
  at += 2;
  out[at++] = 0; // creators: None
  out[at++] = 0; // primary_sale_happened
  out[at++] = metadata.isMutable ? 1 : 0;
  out[at++] = 1; // edition_nonce: Some(255)
  out[at++] = 255;
  out[at++] = 1; // token_standard: Some(Fungible)
  out[at++] = 2;
  // collection, uses, collection_details, programmable_config: None (zero bytes already).
  return out;
}

/** Writes the metadata account at its PDA, owned by the Token Metadata program id. */
export async function writeMetaplexMetadata(
  chain: SandboxChain,
  metadata: MetaplexMetadata,
): Promise<Address> {
  const address = await getMetadataAddress(metadata.mint);
  chain.setAccount({
    address,
    lamports: chain.minimumBalanceForRentExemption(METADATA_ACCOUNT_SIZE),
    owner: METADATA_PROGRAM,
    data: encodeMetaplexMetadata(metadata),
  });
  return address;
}
