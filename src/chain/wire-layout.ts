import type { ReadonlyUint8Array } from "@solana/kit";

/** Where the parts of a signed transaction's wire bytes start. */
export interface WireLayout {
  /** How many 64-byte signatures follow the count byte at offset 0; the fee payer's is first. */
  readonly signatures: number;
  /** Where the message, the bytes every signature signs, starts. */
  readonly message: number;
  /** Where the message's static account addresses (32 bytes each) start; the fee payer's first. */
  readonly accounts: number;
}

/**
 * The layout of a legacy or v0 transaction whose shape kit's decoder would accept and map the
 * same way: signature `i` belongs to static account `i`. Read in place, because kit's decoder
 * base58-encodes every signer's address to build its map. Undefined for anything else (other
 * versions, counts past one byte, a signer listed twice, too few bytes), which callers hand to
 * kit's decoder for its answer or its error.
 */
export function readWireLayout(bytes: ReadonlyUint8Array): WireLayout | undefined {
  const signatures = bytes[0] ?? 0;
  if (signatures === 0 || signatures >= 0x80) return undefined; // one-byte shortvec only
  const message = 1 + 64 * signatures;
  const first = bytes[message];
  if (first === undefined || (first >= 0x80 && first !== 0x80)) return undefined; // legacy or v0
  const header = first === 0x80 ? message + 1 : message;
  const requiredSignatures = bytes[header];
  const staticAccounts = bytes[header + 3];
  if (requiredSignatures === undefined || staticAccounts === undefined || staticAccounts >= 0x80)
    return undefined;
  const accounts = header + 4;
  if (accounts + 32 * staticAccounts > bytes.length) return undefined;
  if (Math.min(requiredSignatures, staticAccounts) !== signatures) return undefined;
  // Kit maps signatures by signer address: a repeated address would remap an earlier one.
  for (let a = 0; a < signatures; a++) {
    for (let b = a + 1; b < signatures; b++) {
      if (sameBytes(bytes, accounts + 32 * a, accounts + 32 * b, 32)) return undefined;
    }
  }
  return { signatures, message, accounts };
}

/** Whether signature `index` is all zeroes: kit decodes that as "not signed yet". */
export function isUnsigned(bytes: ReadonlyUint8Array, index: number): boolean {
  const start = 1 + 64 * index;
  for (let i = start; i < start + 64; i++) if (bytes[i] !== 0) return false;
  return true;
}

export function sameBytes(
  bytes: ReadonlyUint8Array,
  a: number,
  b: number,
  length: number,
  other: ReadonlyUint8Array = bytes,
): boolean {
  for (let i = 0; i < length; i++) if (bytes[a + i] !== other[b + i]) return false;
  return true;
}
