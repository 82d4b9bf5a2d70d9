import { createCipheriv, randomBytes } from "node:crypto";
import argon2 from "argon2";

/**
 * A faithful transcription of the seed spec's KeyEncryption.encryptPrivateKey, so tests can
 * produce real version-1 envelopes: argon2id m=65536 t=3 p=4 raw 32 bytes over a 64-byte salt,
 * AES-256-GCM with a 12-byte nonce and no AAD, base64(salt | nonce | tag | ciphertext), stored as
 * JSON.stringify({ ciphertext, algorithm, version: 1 }).
 */
export async function encryptLikeSpecV1(privateKey: Uint8Array, password: string): Promise<string> {
  const salt = randomBytes(64);
  const key = Buffer.from(
    await argon2.hash(password, {
      type: argon2.argon2id,
      memoryCost: 65536,
      timeCost: 3,
      parallelism: 4,
      hashLength: 32,
      salt,
      raw: true,
    }),
  );
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  const encrypted = Buffer.concat([cipher.update(Buffer.from(privateKey)), cipher.final()]);
  const authTag = cipher.getAuthTag();
  const combined = Buffer.concat([salt, nonce, authTag, encrypted]);
  return JSON.stringify({
    ciphertext: combined.toString("base64"),
    algorithm: "aes-256-gcm",
    version: 1,
  });
}
