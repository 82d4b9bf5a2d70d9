import { createPublicKey, type KeyObject, verify } from "node:crypto";

// Building a KeyObject costs ~100 µs, more than the verification itself: keep recent ones.
const MAX_CACHED_KEYS = 10_000;

export type SignatureVerifier = (
  messageBytes: Uint8Array,
  signatures: readonly Uint8Array[],
  signerKeys: readonly Uint8Array[],
  signerAddresses: readonly string[],
) => boolean;

/** Synchronous ed25519 checks (node:crypto), so the send path needs no await. */
export function createSignatureVerifier(): SignatureVerifier {
  const keys = new Map<string, KeyObject>();
  const keyFor = (address: string, raw: Uint8Array) => {
    let key = keys.get(address);
    if (!key) {
      if (keys.size >= MAX_CACHED_KEYS) keys.clear();
      // From a JWK: node parses the same key from SPKI DER about 25 times slower.
      key = createPublicKey({
        key: { kty: "OKP", crv: "Ed25519", x: Buffer.from(raw).toString("base64url") },
        format: "jwk",
      });
      keys.set(address, key);
    }
    return key;
  };
  return (messageBytes, signatures, signerKeys, signerAddresses) =>
    signatures.every((signature, i) => {
      const raw = signerKeys[i];
      const address = signerAddresses[i];
      if (!raw || !address) return false;
      try {
        return verify(null, messageBytes, keyFor(address, raw), signature);
      } catch {
        // Not a valid curve point: cannot have signed anything.
        return false;
      }
    });
}
