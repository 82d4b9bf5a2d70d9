import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from "node:crypto";
import type { Address } from "@solana/kit";
import { bytesToAddress } from "../encoding/base58.js";

/** A keypair as solana-keygen stores it: the 32-byte seed then the 32-byte public key. */
export type KeypairBytes = Uint8Array;

/** The keys a test validator's ledger holds: its identity, its vote account and its faucet. */
export interface ValidatorKeypairs {
  readonly identity: KeypairBytes;
  readonly voteAccount: KeypairBytes;
  readonly faucet: KeypairBytes;
}

/** PKCS#8 DER header of an Ed25519 private key; the 32-byte seed follows it. */
const PKCS8_ED25519_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

function getPublicKeyBytes(publicKey: KeyObject): Uint8Array {
  return publicKey.export({ format: "der", type: "spki" }).subarray(-32);
}

export function createKeypairBytes(): KeypairBytes {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const seed = privateKey.export({ format: "der", type: "pkcs8" }).subarray(-32);
  const bytes = new Uint8Array(64);
  bytes.set(seed, 0);
  bytes.set(getPublicKeyBytes(publicKey), 32);
  return bytes;
}

export function createValidatorKeypairs(): ValidatorKeypairs {
  return {
    identity: createKeypairBytes(),
    voteAccount: createKeypairBytes(),
    faucet: createKeypairBytes(),
  };
}

export function getKeypairAddress(keypair: KeypairBytes): Address {
  return bytesToAddress(keypair.subarray(32, 64));
}

/**
 * The signing key of a keypair, checked: 64 bytes whose second half is the public key of the
 * first (a keypair file edited by hand or truncated must not start a validator).
 */
export function getKeypairSigner(keypair: KeypairBytes): {
  publicKey: KeyObject;
  privateKey: KeyObject;
} {
  if (keypair.length !== 64) throw new Error(`a keypair has 64 bytes, not ${keypair.length}`);
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, keypair.subarray(0, 32)]),
    format: "der",
    type: "pkcs8",
  });
  const publicKey = createPublicKey(privateKey);
  if (!Buffer.from(getPublicKeyBytes(publicKey)).equals(keypair.subarray(32, 64))) {
    throw new Error("the keypair's public key is not its secret key's");
  }
  return { publicKey, privateKey };
}
