import { generateMnemonic } from "@scure/bip39";
import { wordlist } from "@scure/bip39/wordlists/english";
import { getBase58Decoder } from "@solana/kit";
import { describe, expect, it } from "vitest";
import { findPastedSecret } from "../../src/telegram/secret-detector.js";
import { createWalletKeypair } from "../../src/wallet/wallet-keypair.js";

// A secret pasted into the chat is deleted and warned about; everything a trader pastes in the
// ordinary course (mints, addresses, signatures, amounts, chat) is left alone.

const base58 = (bytes: Uint8Array) => getBase58Decoder().decode(bytes);

describe("findPastedSecret", () => {
  const { publicKey, secretKey } = createWalletKeypair();

  it("finds a secret key as Phantom exports it and as solana-keygen writes it, anywhere in the text", () => {
    expect(findPastedSecret(base58(secretKey))).toBe("secret_key");
    expect(findPastedSecret(`my key is ${base58(secretKey)} pls help`)).toBe("secret_key");
    expect(findPastedSecret(JSON.stringify([...secretKey]))).toBe("secret_key");
    expect(findPastedSecret(`[${[...secretKey].join(", ")}]`)).toBe("secret_key");
    // The 32-byte seed alone, as an array, is a key too.
    expect(findPastedSecret(JSON.stringify([...secretKey.subarray(0, 32)]))).toBe("secret_key");
  });

  it("finds a recovery phrase, valid or with one typo, whatever its case", () => {
    const phrase = generateMnemonic(wordlist);
    expect(findPastedSecret(phrase)).toBe("seed_phrase");
    expect(findPastedSecret(`  ${phrase.toUpperCase()}\n`)).toBe("seed_phrase");
    const words = phrase.split(" ");
    words[3] = "zzzzq";
    expect(findPastedSecret(words.join(" "))).toBe("seed_phrase");
    expect(findPastedSecret(generateMnemonic(wordlist, 256))).toBe("seed_phrase");
  });

  it("leaves mints, addresses, signatures and chat alone", () => {
    const signature = new Uint8Array(64).map((_, i) => (i * 37 + 11) % 256);
    for (const text of [
      publicKey,
      "So11111111111111111111111111111111111111112",
      base58(signature),
      `sig ${base58(signature)}`,
      "buy 0.5",
      "/start abc123",
      "[1, 2, 3]",
      "able about above absent absorb abstract absurd abuse access accident account", // 11 words
      "please buy some more of this token for me right now thanks a lot friend",
    ])
      expect(findPastedSecret(text), text).toBeNull();
  });
});
