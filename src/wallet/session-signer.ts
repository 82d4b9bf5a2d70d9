import { createKeyPairSignerFromBytes, type KeyPairSigner } from "@solana/kit";
import { OspreyError } from "../core/osprey-error.js";
import { wipe } from "./random-bytes.js";
import type { SessionKey } from "./session-types.js";

/**
 * A @solana/kit signer holding the session's key as a non-extractable CryptoKey; the raw bytes
 * are wiped as soon as WebCrypto has imported them.
 */
export async function createSessionSigner(key: SessionKey): Promise<KeyPairSigner> {
  try {
    const signer = await createKeyPairSignerFromBytes(key.secretKey, false);
    if (String(signer.address) !== key.publicKey) throw new OspreyError("WALLET_KEY_MISMATCH");
    return signer;
  } finally {
    wipe(key.secretKey);
  }
}
