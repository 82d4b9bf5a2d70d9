import { getBase58Decoder, getBase58Encoder } from "@solana/kit";
import { OspreyError } from "../core/osprey-error.js";
import { wipe } from "./random-bytes.js";
import {
  assertIsSecretKeyBytes,
  getAddressOfSecretKey,
  type WalletKeypair,
} from "./wallet-keypair.js";

const BASE58 = /^[1-9A-HJ-NP-Za-km-z]{64,90}$/;
const JSON_ARRAY = /^\[\s*\d{1,3}(\s*,\s*\d{1,3}){63}\s*\]$/;

/** A secret key as given: base58 text, a JSON array as text, or the array itself (from JSON). */
export type SecretKeyInput = string | readonly unknown[];

function invalid(reason: string): OspreyError {
  // The input is a private key (or a typo of one): say what is wrong, never what was sent.
  return new OspreyError("INVALID_SECRET_KEY", `Not a valid Solana secret key: ${reason}.`);
}

const isByte = (value: unknown): value is number =>
  typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 255;

function decodeArray(values: readonly unknown[]): Uint8Array {
  if (values.length !== 64 || !values.every(isByte))
    throw invalid("expected a JSON array of 64 numbers from 0 to 255");
  return Uint8Array.from(values);
}

function decodeBytes(text: string): Uint8Array {
  if (text.startsWith("[")) {
    if (!JSON_ARRAY.test(text)) throw invalid("expected a JSON array of 64 numbers from 0 to 255");
    return decodeArray(JSON.parse(text) as unknown[]);
  }
  if (!BASE58.test(text)) throw invalid("expected base58 of 64 bytes or a JSON array");
  const bytes = new Uint8Array(getBase58Encoder().encode(text));
  if (bytes.length !== 64) {
    wipe(bytes);
    throw invalid("expected 64 bytes");
  }
  return bytes;
}

/**
 * Parses a secret key as Phantom exports it (base58 of 64 bytes) or as solana-keygen writes it
 * (a JSON array of 64 numbers, as text or as the array), and checks that its second half is the
 * first half's public key.
 */
export function importSecretKey(input: unknown): WalletKeypair {
  let bytes: Uint8Array;
  if (typeof input === "string") bytes = decodeBytes(input.trim());
  else if (Array.isArray(input)) bytes = decodeArray(input);
  else throw invalid("expected a string or a JSON array");
  try {
    assertIsSecretKeyBytes(bytes);
  } catch (error) {
    wipe(bytes);
    throw error;
  }
  return { publicKey: getAddressOfSecretKey(bytes), secretKey: bytes };
}

/** base58 of the 64 bytes: what Phantom and Solflare import. */
export function exportSecretKey(secretKey: Uint8Array): string {
  assertIsSecretKeyBytes(secretKey);
  return getBase58Decoder().decode(secretKey);
}
