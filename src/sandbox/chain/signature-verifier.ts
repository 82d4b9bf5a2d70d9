import { createPublicKey, type KeyObject, verify } from "node:crypto";

// Building a KeyObject costs ~100 µs, more than the verification itself: keep recent ones.
const MAX_CACHED_KEYS = 10_000;

// Signatures the sandbox made itself, kept until a swap's blockhash would have expired anyway.
const MAX_OWN_SIGNATURES = 10_000;

export interface SignatureVerifier {
  verify(
    messageBytes: Uint8Array,
    signatures: readonly Uint8Array[],
    signerKeys: readonly Uint8Array[],
    signerAddresses: readonly string[],
  ): boolean;
  /**
   * A signature the sandbox just made (a pool authority co-signing a swap): when the same
   * signer's signature over the same bytes comes back, it is known good without a second check.
   */
  rememberOwn(signer: string, messageBytes: Uint8Array, signature: Uint8Array): void;
}

const keyOf = (signature: Uint8Array) =>
  Buffer.from(signature.buffer, signature.byteOffset, signature.byteLength).toString("latin1");

/** Synchronous ed25519 checks (node:crypto), so the send path needs no await. */
export function createSignatureVerifier(): SignatureVerifier {
  const own = new Map<string, { signer: string; messageBytes: Buffer }>();
  const isOwn = (signer: string, messageBytes: Uint8Array, signature: Uint8Array) => {
    const known = own.get(keyOf(signature));
    return (
      known !== undefined && known.signer === signer && known.messageBytes.equals(messageBytes)
    );
  };
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
  return {
    verify: (messageBytes, signatures, signerKeys, signerAddresses) =>
      signatures.every((signature, i) => {
        const raw = signerKeys[i];
        const address = signerAddresses[i];
        if (!raw || !address) return false;
        if (isOwn(address, messageBytes, signature)) return true;
        try {
          return verify(null, messageBytes, keyFor(address, raw), signature);
        } catch {
          // Not a valid curve point: cannot have signed anything.
          return false;
        }
      }),
    rememberOwn(signer, messageBytes, signature) {
      if (own.size >= MAX_OWN_SIGNATURES) {
        const oldest = own.keys().next().value;
        if (oldest !== undefined) own.delete(oldest);
      }
      own.set(keyOf(signature), { signer, messageBytes: Buffer.from(messageBytes) });
    },
  };
}
