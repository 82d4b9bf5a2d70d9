import { createSignerFromKeyPair, type KeyPairSigner } from "@solana/kit";
import { OspreyError } from "../core/osprey-error.js";
import { wipe } from "./random-bytes.js";
import type { SessionKey } from "./session-types.js";

const ED25519 = "Ed25519";

/**
 * A @solana/kit signer holding the session's key as a non-extractable CryptoKey; the raw bytes
 * are wiped as soon as WebCrypto has imported them.
 *
 * The private half is imported as a JWK rather than kit's PKCS#8 (a fifth of the CPU), and
 * WebCrypto refuses a JWK whose `x` is not the public key of its `d`: the same pair check as
 * kit's sign-and-verify, without the signature. (kit's path leaves unwiped copies of the
 * bytes too; here they are a short-lived base64url string.)
 */
export async function createSessionSigner(key: SessionKey): Promise<KeyPairSigner> {
  try {
    const { secretKey } = key;
    if (secretKey.byteLength !== 64) throw new OspreyError("WALLET_KEY_MISMATCH");
    const publicBytes = secretKey.slice(32);
    const [privateKey, publicKey] = await Promise.all([
      crypto.subtle
        .importKey(
          "jwk",
          {
            kty: "OKP",
            crv: ED25519,
            d: Buffer.from(secretKey.buffer, secretKey.byteOffset, 32).toString("base64url"),
            x: Buffer.from(publicBytes).toString("base64url"),
          },
          ED25519,
          false,
          ["sign"],
        )
        .catch((cause: unknown) => {
          throw new OspreyError("WALLET_KEY_MISMATCH", undefined, {}, { cause });
        }),
      crypto.subtle.importKey("raw", publicBytes, ED25519, true, ["verify"]),
    ]);
    const signer = await createSignerFromKeyPair({ privateKey, publicKey });
    if (String(signer.address) !== key.publicKey) throw new OspreyError("WALLET_KEY_MISMATCH");
    return signer;
  } finally {
    wipe(key.secretKey);
  }
}
