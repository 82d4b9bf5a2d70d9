import type { Address } from "@solana/kit";
import { base58ToBytes, bytesToBase58 } from "../../core/base58.js";

export { base58ToBytes, bytesToBase58 };

/** 32 bytes of a base58 address, or null when `text` is not one. */
export function addressToBytes(text: string): Uint8Array | null {
  if (text.length < 32 || text.length > 44) return null;
  const bytes = base58ToBytes(text);
  return bytes && bytes.length === 32 ? bytes : null;
}

/** Bounded, since a long-running sandbox sees an unbounded stream of fresh keys. */
const MAX_NAMES = 65_536;
const names = new Map<string, string>();

/**
 * Base58 of a 32-byte key, remembered: the same few thousand accounts, mints and owners are
 * named again on every read, and a Map lookup costs a fraction of the encoding.
 */
export function bytesToAddress(bytes: Uint8Array): Address {
  const key = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
  let name = names.get(key);
  if (name === undefined) {
    if (names.size >= MAX_NAMES) names.clear();
    name = bytesToBase58(bytes);
    names.set(key, name);
  }
  return name as Address;
}
