import { createHash } from "node:crypto";
import { type Address, isOffCurveAddress } from "@solana/kit";
import { addressToBytes, bytesToAddress } from "../encoding/base58.js";

const PDA_MARKER = Buffer.from("ProgramDerivedAddress");

/**
 * kit's getProgramDerivedAddress without its await per candidate: node's synchronous SHA-256
 * instead of WebCrypto's digest job, which cost more than the hash itself.
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
    hash.update(Uint8Array.of(bump)).update(programBytes).update(PDA_MARKER);
    const candidate = bytesToAddress(hash.digest());
    if (isOffCurveAddress(candidate)) return [candidate, bump];
  }
  throw new Error(`no off-curve address for these seeds under ${program}`);
}
