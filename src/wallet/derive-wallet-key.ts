import argon2 from "argon2";
import { OspreyError } from "../core/osprey-error.js";
import type { KdfLimiter } from "./kdf-limiter.js";
import type { KdfParams } from "./kdf-params.js";
import { wipe } from "./random-bytes.js";

export const MIN_PASSWORD_LENGTH = 1;
export const MAX_PASSWORD_LENGTH = 256;

export function isWalletPassword(value: unknown): value is string {
  return (
    typeof value === "string" &&
    value.length >= MIN_PASSWORD_LENGTH &&
    value.length <= MAX_PASSWORD_LENGTH
  );
}

/**
 * A password we will try to decrypt with (or re-encrypt the same key under): only bounded, so an
 * oversized password cannot buy CPU time. A password to set is `assertIsNewWalletPassword`.
 */
export function assertIsWalletPassword(value: unknown): asserts value is string {
  if (!isWalletPassword(value)) {
    throw new OspreyError(
      "INVALID_PASSWORD",
      `The wallet password must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters.`,
      { minLength: MIN_PASSWORD_LENGTH, maxLength: MAX_PASSWORD_LENGTH },
    );
  }
}

/** argon2id(password, salt) → 32-byte AES key, run through the limiter. The caller wipes the key. */
export async function deriveWalletKey(
  limiter: KdfLimiter,
  password: string,
  salt: Uint8Array,
  params: KdfParams,
): Promise<Buffer> {
  assertIsWalletPassword(password);
  return limiter.run(async () => {
    const secret = Buffer.from(password, "utf8");
    try {
      return await argon2.hash(secret, {
        type: argon2.argon2id,
        memoryCost: params.memoryKiB,
        timeCost: params.passes,
        parallelism: params.parallelism,
        hashLength: 32,
        salt: Buffer.from(salt),
        raw: true,
      });
    } finally {
      wipe(secret);
    }
  });
}
