import { hkdfSync } from "node:crypto";
import { openAesGcm, sealAesGcm } from "./aes-gcm.js";
import { type RandomBytes, wipe } from "./random-bytes.js";

/** A key sealed with AES-256-GCM under a derived key, as stored (sessions, automation grants). */
export interface KeyBox {
  readonly nonce: string;
  /** AES-256-GCM ciphertext followed by its 16-byte tag, base64. */
  readonly sealed: string;
}

/** A 32-byte AES key from HKDF-SHA256; the caller wipes it. */
export function deriveBoxKey(secret: Uint8Array, salt: string, info: string): Buffer {
  const raw = hkdfSync("sha256", secret, salt, info, 32);
  const key = Buffer.from(raw.slice(0));
  wipe(new Uint8Array(raw));
  return key;
}

/** Seals `plaintext` under `key` with a fresh random nonce, binding `aad`. */
export function sealKeyBox(
  key: Uint8Array,
  aad: Uint8Array,
  plaintext: Uint8Array,
  random: RandomBytes,
): KeyBox {
  const nonce = Buffer.from(random(12));
  const { ciphertext, tag } = sealAesGcm(key, nonce, aad, plaintext);
  const sealed = Buffer.concat([ciphertext, tag]);
  return { nonce: nonce.toString("base64"), sealed: sealed.toString("base64") };
}

/** The plaintext, or null when the key, AAD or box is not the sealed one. The caller wipes it. */
export function openKeyBox(key: Uint8Array, aad: Uint8Array, box: KeyBox): Uint8Array | null {
  const sealed = Buffer.from(box.sealed, "base64");
  if (sealed.length < 16) return null;
  try {
    return openAesGcm(key, Buffer.from(box.nonce, "base64"), aad, {
      ciphertext: sealed.subarray(0, sealed.length - 16),
      tag: sealed.subarray(sealed.length - 16),
    });
  } catch {
    return null;
  }
}
