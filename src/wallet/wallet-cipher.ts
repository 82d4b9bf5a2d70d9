import type { Address } from "../core/addresses.js";
import { OspreyError } from "../core/osprey-error.js";
import { openAesGcm, sealAesGcm } from "./aes-gcm.js";
import { assertIsWalletPassword, deriveWalletKey } from "./derive-wallet-key.js";
import type { KdfLimiter } from "./kdf-limiter.js";
import {
  assertIsKdfParams,
  DEFAULT_KDF_PARAMS,
  isWeakerKdf,
  type KdfParams,
} from "./kdf-params.js";
import {
  getEnvelopeAad,
  type KeyEnvelope,
  NONCE_BYTES,
  parseKeyEnvelope,
  serializeKeyEnvelope,
  V1_KDF_PARAMS,
  V2_SALT_BYTES,
} from "./key-envelope.js";
import { type RandomBytes, systemRandomBytes, wipe } from "./random-bytes.js";
import { getAddressOfPublicKeyBytes, isSecretKeyBytes } from "./wallet-keypair.js";

export interface WalletKeyRef {
  readonly walletId: string;
  readonly publicKey: Address;
}

export interface DecryptedWalletKey {
  /** 64 bytes, checked to yield the wallet's public key; the caller wipes it. */
  readonly secretKey: Uint8Array;
  /** A v1 envelope, or one with weaker parameters than configured: re-encrypt with `encrypt`. */
  readonly needsUpgrade: boolean;
}

export interface WalletCipher {
  readonly params: KdfParams;
  /** Encrypts into a fresh v2 envelope (new salt and nonce); also the upgrade path for old ones. */
  encrypt(ref: WalletKeyRef, secretKey: Uint8Array, password: string): Promise<string>;
  /** One argon2 derivation, one AES-GCM open, then the public-key check. */
  decrypt(ref: WalletKeyRef, envelope: string, password: string): Promise<DecryptedWalletKey>;
}

export interface WalletCipherOptions {
  readonly limiter: KdfLimiter;
  readonly params?: KdfParams;
  readonly random?: RandomBytes;
}

function matches(secretKey: Uint8Array, publicKey: Address): boolean {
  return (
    isSecretKeyBytes(secretKey) && getAddressOfPublicKeyBytes(secretKey.subarray(32)) === publicKey
  );
}

const mismatch = () =>
  new OspreyError("WALLET_KEY_MISMATCH", "The wallet key does not yield the wallet's public key.");

/** argon2id + AES-256-GCM key encryption for wallet rows. */
export function createWalletCipher(options: WalletCipherOptions): WalletCipher {
  const params = options.params ?? DEFAULT_KDF_PARAMS;
  assertIsKdfParams(params);
  const random = options.random ?? systemRandomBytes;
  const { limiter } = options;

  async function encrypt(ref: WalletKeyRef, secretKey: Uint8Array, password: string) {
    assertIsWalletPassword(password);
    if (!matches(secretKey, ref.publicKey)) throw mismatch();
    const salt = Buffer.from(random(V2_SALT_BYTES));
    const nonce = Buffer.from(random(NONCE_BYTES));
    const key = await deriveWalletKey(limiter, password, salt, params);
    try {
      const aad = getEnvelopeAad(ref.walletId, ref.publicKey, params);
      const { ciphertext, tag } = sealAesGcm(key, nonce, aad, secretKey);
      return serializeKeyEnvelope({ version: 2, kdf: params, salt, nonce, tag, ciphertext });
    } finally {
      wipe(key);
    }
  }

  async function open(envelope: KeyEnvelope, ref: WalletKeyRef, password: string) {
    const kdf = envelope.version === 1 ? V1_KDF_PARAMS : envelope.kdf;
    const key = await deriveWalletKey(limiter, password, envelope.salt, kdf);
    // v1 had no AAD; the public-key check in `decrypt` is then what catches a moved ciphertext.
    const aad = envelope.version === 2 ? getEnvelopeAad(ref.walletId, ref.publicKey, kdf) : null;
    try {
      return openAesGcm(key, envelope.nonce, aad, envelope);
    } catch {
      // Wrong password and tampered bytes look the same on purpose.
      throw new OspreyError("WALLET_DECRYPT_FAILED");
    } finally {
      wipe(key);
    }
  }

  async function decrypt(ref: WalletKeyRef, text: string, password: string) {
    assertIsWalletPassword(password);
    const envelope = parseKeyEnvelope(text);
    const secretKey = await open(envelope, ref, password);
    if (!matches(secretKey, ref.publicKey)) {
      wipe(secretKey);
      throw mismatch();
    }
    const needsUpgrade = envelope.version === 1 || isWeakerKdf(envelope.kdf, params);
    return { secretKey, needsUpgrade };
  }

  return { params, encrypt, decrypt };
}
