import { createCipheriv, createDecipheriv } from "node:crypto";
import { wipe } from "./random-bytes.js";

export interface AesGcmSealed {
  readonly ciphertext: Buffer;
  readonly tag: Buffer;
}

/** AES-256-GCM with additional authenticated data; the nonce must never repeat under one key. */
export function sealAesGcm(
  key: Uint8Array,
  nonce: Uint8Array,
  aad: Uint8Array | null,
  plaintext: Uint8Array,
): AesGcmSealed {
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  if (aad) cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { ciphertext, tag: cipher.getAuthTag() };
}

/** The plaintext, or a throw when the key, nonce, AAD, tag or ciphertext is not the sealed one. */
export function openAesGcm(
  key: Uint8Array,
  nonce: Uint8Array,
  aad: Uint8Array | null,
  sealed: AesGcmSealed,
): Uint8Array {
  // A fixed tag length: GCM would otherwise accept a truncated (4-byte) tag from a tampered store.
  const decipher = createDecipheriv("aes-256-gcm", key, nonce, { authTagLength: 16 });
  if (aad) decipher.setAAD(aad);
  decipher.setAuthTag(sealed.tag);
  const plain = decipher.update(sealed.ciphertext);
  try {
    decipher.final();
    return new Uint8Array(plain);
  } finally {
    // The unauthenticated plaintext is wiped whether or not the tag checked out.
    wipe(plain);
  }
}
