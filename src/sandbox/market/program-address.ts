import { createHash } from "node:crypto";
import type { Address } from "@solana/kit";
import { addressToBytes, bytesToAddress } from "../encoding/base58.js";

const PDA_MARKER = Buffer.from("ProgramDerivedAddress");
const P = 2n ** 255n - 19n;
/** Edwards curve constant d of Ed25519. */
const D = 37095705934669439343138083508754565189542113879843219016388785533085940283555n;

/** Jacobi symbol (a/n) for odd n > 0. */
function jacobi(value: bigint, modulus: bigint): number {
  let a = value % modulus;
  let n = modulus;
  let result = 1;
  while (a !== 0n) {
    while ((a & 1n) === 0n) {
      a >>= 1n;
      const r = n & 7n;
      if (r === 3n || r === 5n) result = -result;
    }
    [a, n] = [n, a];
    if ((a & 3n) === 3n && (n & 3n) === 3n) result = -result;
    a %= n;
  }
  return n === 1n ? result : 0;
}

/**
 * Whether 32 bytes decompress to an Ed25519 point, as kit decides it: x² = (y² − 1)/(d·y² + 1)
 * must have a root, and x = 0 cannot carry the sign bit. A Jacobi symbol settles the root ten
 * times faster than kit's square-root exponentiation.
 */
export function isOnCurve(bytes: Uint8Array): boolean {
  let y = 0n;
  for (let i = 31; i >= 0; i--)
    y = (y << 8n) | BigInt(i === 31 ? (bytes[i] ?? 0) & 0x7f : (bytes[i] ?? 0));
  const y2 = (y * y) % P;
  const u = (y2 - 1n + P) % P;
  const v = (D * y2 + 1n) % P;
  if (u === 0n) return ((bytes[31] ?? 0) & 0x80) === 0;
  return jacobi((u * v) % P, P) === 1;
}

/**
 * kit's getProgramDerivedAddress without its costs per candidate: node's synchronous SHA-256
 * instead of an awaited WebCrypto digest, and the curve check on bytes (no base58 round trip).
 */
export function findProgramAddress(
  program: Address,
  seeds: readonly Uint8Array[],
): [address: Address, bump: number] {
  const programBytes = addressToBytes(program);
  if (!programBytes) throw new Error(`not an address: ${program}`);
  for (let bump = 255; bump >= 0; bump--) {
    const hash = createHash("sha256");
    for (const seed of seeds) hash.update(seed);
    const candidate = hash
      .update(Uint8Array.of(bump))
      .update(programBytes)
      .update(PDA_MARKER)
      .digest();
    if (!isOnCurve(candidate)) return [bytesToAddress(candidate), bump];
  }
  throw new Error(`no off-curve address for these seeds under ${program}`);
}
