import { validateMnemonic } from "@scure/bip39";
import { wordlist } from "@scure/bip39/wordlists/english";
import { getBase58Encoder } from "@solana/kit";
import { wipe } from "../wallet/random-bytes.js";
import { isSecretKeyBytes } from "../wallet/wallet-keypair.js";

export type PastedSecret = "secret_key" | "seed_phrase";

const BASE58_RUN = /[1-9A-HJ-NP-Za-km-z]{64,90}/g;
const BYTE_ARRAY = /\[\s*\d{1,3}(?:\s*,\s*\d{1,3}){31,63}\s*\]/g;
const MNEMONIC_LENGTHS = new Set([12, 15, 18, 21, 24]);
const WORDS = new Set(wordlist);

/** A base58 run that decodes to a 64-byte Ed25519 keypair (a signature, also 64 bytes, is not one). */
function isBase58Keypair(run: string): boolean {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(getBase58Encoder().encode(run));
  } catch {
    return false;
  }
  try {
    return bytes.length === 64 && isSecretKeyBytes(bytes);
  } finally {
    wipe(bytes);
  }
}

/** 32 or 64 numbers from 0 to 255 in brackets: how solana-keygen writes a key (or its seed). */
function isByteArray(run: string): boolean {
  const values = run
    .slice(1, -1)
    .split(",")
    .map((v) => Number(v.trim()));
  return (values.length === 32 || values.length === 64) && values.every((v) => v <= 255);
}

/**
 * A recovery phrase: the whole message is 12 to 24 words of the BIP-39 English list, with a
 * valid checksum, or with all words but one in the list (a typo is still the phrase).
 */
function isSeedPhrase(text: string): boolean {
  const words = text.trim().toLowerCase().split(/\s+/);
  if (!MNEMONIC_LENGTHS.has(words.length)) return false;
  if (validateMnemonic(words.join(" "), wordlist)) return true;
  return words.filter((word) => !WORDS.has(word)).length <= 1;
}

/**
 * What a chat message gives away, if anything: a Solana secret key (base58 of a 64-byte keypair,
 * or a byte array) or a recovery phrase. Mints, addresses and signatures are not secrets.
 */
export function findPastedSecret(text: string): PastedSecret | null {
  for (const run of text.match(BASE58_RUN) ?? []) if (isBase58Keypair(run)) return "secret_key";
  for (const run of text.match(BYTE_ARRAY) ?? []) if (isByteArray(run)) return "secret_key";
  return isSeedPhrase(text) ? "seed_phrase" : null;
}
