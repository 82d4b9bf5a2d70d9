import { deriveBoxKey, type KeyBox, openKeyBox, sealKeyBox } from "./key-box.js";
import { type RandomBytes, wipe } from "./random-bytes.js";

/** What identifies a session's key box: the HKDF info and the AAD are built from it. */
export interface SessionBinding {
  readonly sessionId: string;
  readonly userId: string;
  readonly walletId: string;
  readonly publicKey: string;
}

export type SessionKeyBox = KeyBox;

// One key per session from its secret; the id in `info` keeps keys of different sessions apart.
function deriveSessionBoxKey(secret: Buffer, sessionId: string): Buffer {
  return deriveBoxKey(secret, "osprey/session", `osprey/session-key/v1\n${sessionId}`);
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
  const key = deriveSessionBoxKey(secret, binding.sessionId);
  try {
    return sealKeyBox(key, getAad(binding), secretKey, random);
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
  const key = deriveSessionBoxKey(secret, binding.sessionId);
  try {
    return openKeyBox(key, getAad(binding), box);
  } finally {
    wipe(key);
  }
}
