import type { Address } from "@solana/kit";

const ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const INDEX = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) INDEX[ALPHABET.charCodeAt(i)] = i;

/**
 * Byte-wise base58 (no BigInt): kit's generic codec costs ~20 µs per address, which dominated
 * the sandbox's per-transaction time. Returns null for text that is not base58.
 */
export function base58ToBytes(text: string): Uint8Array | null {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    let carry = code < 128 ? (INDEX[code] ?? -1) : -1;
    if (carry < 0) return null;
    for (let j = 0; j < bytes.length; j++) {
      carry += (bytes[j] as number) * 58;
      bytes[j] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push(carry & 0xff);
      carry >>= 8;
    }
  }
  for (let i = 0; i < text.length && text[i] === "1"; i++) bytes.push(0);
  return Uint8Array.from(bytes.reverse());
}

export function bytesToBase58(bytes: Uint8Array): string {
  const digits: number[] = [];
  for (const byte of bytes) {
    let carry = byte;
    for (let j = 0; j < digits.length; j++) {
      carry += (digits[j] as number) << 8;
      digits[j] = carry % 58;
      carry = (carry / 58) | 0;
    }
    while (carry > 0) {
      digits.push(carry % 58);
      carry = (carry / 58) | 0;
    }
  }
  let text = "";
  for (let i = 0; i < bytes.length && bytes[i] === 0; i++) text += "1";
  for (let i = digits.length - 1; i >= 0; i--) text += ALPHABET[digits[i] as number];
  return text;
}

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
