import { hkdfSync } from "node:crypto";
import { openAesGcm, sealAesGcm } from "./aes-gcm.js";
import { type RandomBytes, wipe } from "./random-bytes.js";

/** What identifies a session's key box: the HKDF info and the AAD are built from it. */
export interface SessionBinding {
  readonly sessionId: string;
  readonly userId: string;
  readonly walletId: string;
  readonly publicKey: string;
}

export interface SessionKeyBox {
  readonly nonce: string;
  /** AES-256-GCM ciphertext followed by its 16-byte tag, base64. */
  readonly sealed: string;
}

// One key per session from its secret; the id in `info` keeps keys of different sessions apart.
function deriveBoxKey(secret: Buffer, sessionId: string): Buffer {
  const raw = hkdfSync(
    "sha256",
    secret,
    "osprey/session",
    `osprey/session-key/v1\n${sessionId}`,
    32,
  );
  const key = Buffer.from(raw.slice(0));
  wipe(new Uint8Array(raw));
  return key;
}

// Editing the record's user, wallet or public key in the store makes the box fail to open.
function getAad(binding: SessionBinding): Buffer {
  const { sessionId, userId, walletId, publicKey } = binding;
  return Buffer.from(`osprey/session/v1\n${sessionId}\n${userId}\n${walletId}\n${publicKey}`);
}

/** Encrypts the wallet key under a key only the token's secret can re-derive. */
export function sealSessionKey(
  binding: SessionBinding,
  secret: Buffer,
  secretKey: Uint8Array,
  random: RandomBytes,
): SessionKeyBox {
  const key = deriveBoxKey(secret, binding.sessionId);
  const nonce = Buffer.from(random(12));
  try {
    const { ciphertext, tag } = sealAesGcm(key, nonce, getAad(binding), secretKey);
    const sealed = Buffer.concat([ciphertext, tag]);
    return { nonce: nonce.toString("base64"), sealed: sealed.toString("base64") };
  } finally {
    wipe(key);
  }
}

/** The wallet key, or null when the secret, binding or box is wrong. The caller wipes it. */
export function openSessionKey(
  binding: SessionBinding,
  secret: Buffer,
  box: SessionKeyBox,
): Uint8Array | null {
  const key = deriveBoxKey(secret, binding.sessionId);
  const sealed = Buffer.from(box.sealed, "base64");
  try {
    return openAesGcm(key, Buffer.from(box.nonce, "base64"), getAad(binding), {
      ciphertext: sealed.subarray(0, sealed.length - 16),
      tag: sealed.subarray(sealed.length - 16),
    });
  } catch {
    return null;
  } finally {
    wipe(key);
  }
}
