import { createPrivateKey, createPublicKey, timingSafeEqual } from "node:crypto";
import { getBase58Decoder } from "@solana/kit";
import type { Address } from "../core/addresses.js";
import { OspreyError } from "../core/osprey-error.js";
import { type RandomBytes, systemRandomBytes, wipe } from "./random-bytes.js";

/** A Solana keypair as solana-keygen stores it: 32-byte seed then 32-byte public key. */
export interface WalletKeypair {
  readonly publicKey: Address;
  /** 64 bytes; the holder wipes it when done. */
  readonly secretKey: Uint8Array;
}

// RFC 8410 PKCS#8 prefix for a raw Ed25519 seed: lets node:crypto derive the public key synchronously.
const PKCS8_ED25519_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");
const base58 = getBase58Decoder();

/** The 32-byte Ed25519 public key of a 32-byte seed. */
export function getPublicKeyBytes(seed: Uint8Array): Uint8Array {
  const der = Buffer.concat([PKCS8_ED25519_PREFIX, seed]);
  try {
    const jwk = createPublicKey(
      createPrivateKey({ key: der, format: "der", type: "pkcs8" }),
    ).export({ format: "jwk" });
    return new Uint8Array(Buffer.from(jwk.x ?? "", "base64url"));
  } finally {
    wipe(der);
  }
}

export function getAddressOfPublicKeyBytes(publicKey: Uint8Array): Address {
  return base58.decode(publicKey) as Address;
}

/** True when the 64 bytes are a seed followed by the public key that seed yields. */
export function isSecretKeyBytes(bytes: Uint8Array): boolean {
  if (bytes.length !== 64) return false;
  const derived = getPublicKeyBytes(bytes.subarray(0, 32));
  return derived.length === 32 && timingSafeEqual(derived, bytes.subarray(32));
}

/** Never includes the bytes themselves in the error: they are a private key. */
export function assertIsSecretKeyBytes(bytes: Uint8Array): void {
  if (!isSecretKeyBytes(bytes)) {
    throw new OspreyError(
      "INVALID_SECRET_KEY",
      "A secret key must be 64 bytes whose last 32 are the public key of the first 32.",
    );
  }
}

/** The address a valid 64-byte secret key belongs to. */
export function getAddressOfSecretKey(secretKey: Uint8Array): Address {
  assertIsSecretKeyBytes(secretKey);
  return getAddressOfPublicKeyBytes(secretKey.subarray(32));
}

/** A fresh keypair from the random source (a CSPRNG in production). */
export function createWalletKeypair(random: RandomBytes = systemRandomBytes): WalletKeypair {
  const seed = random(32);
  const publicKey = getPublicKeyBytes(seed);
  const secretKey = new Uint8Array(64);
  secretKey.set(seed);
  secretKey.set(publicKey, 32);
  wipe(seed);
  return { publicKey: getAddressOfPublicKeyBytes(publicKey), secretKey };
}
