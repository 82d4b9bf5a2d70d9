import { createHash } from "node:crypto";

/**
 * Jito's bundle id: the SHA-256 of the transactions' first signatures (base58, in bundle order)
 * joined by commas, in hex. The same transactions in the same order always get the same id.
 */
export function getBundleId(signatures: readonly string[]): string {
  return createHash("sha256").update(signatures.join(",")).digest("hex");
}
