import { getBase58Decoder } from "@solana/kit";
import { describe, expect, it } from "vitest";
import { isOspreyError } from "../../src/core/osprey-error.js";
import {
  createWalletKeypair,
  exportSecretKey,
  getAddressOfSecretKey,
  importSecretKey,
} from "../../src/wallet/index.js";

function importError(input: unknown): unknown {
  try {
    importSecretKey(input);
  } catch (error) {
    return error;
  }
  return null;
}

describe("secret key import and export", () => {
  it("creates distinct keypairs whose second half is the public key", () => {
    const a = createWalletKeypair();
    const b = createWalletKeypair();
    expect(a.publicKey).not.toBe(b.publicKey);
    expect(a.secretKey).toHaveLength(64);
    expect(getAddressOfSecretKey(a.secretKey)).toBe(a.publicKey);
  });

  it("derives the same address as @solana/kit for a known seed", async () => {
    const { createKeyPairFromBytes, getAddressFromPublicKey } = await import("@solana/kit");
    const keypair = createWalletKeypair();
    const kitPair = await createKeyPairFromBytes(keypair.secretKey);
    expect(await getAddressFromPublicKey(kitPair.publicKey)).toBe(keypair.publicKey);
  });

  it("imports base58 and exports the same string", () => {
    const { secretKey, publicKey } = createWalletKeypair();
    const base58 = getBase58Decoder().decode(secretKey);
    const imported = importSecretKey(` ${base58}\n`);
    expect(imported.publicKey).toBe(publicKey);
    expect(exportSecretKey(imported.secretKey)).toBe(base58);
  });

  it("imports the JSON array solana-keygen writes and exports it as base58", () => {
    const { secretKey, publicKey } = createWalletKeypair();
    const json = JSON.stringify([...secretKey]);
    const imported = importSecretKey(json);
    expect(imported.publicKey).toBe(publicKey);
    expect(exportSecretKey(imported.secretKey)).toBe(getBase58Decoder().decode(secretKey));
    // solana-keygen's own spacing
    expect(importSecretKey(`[${[...secretKey].join(", ")}]`).publicKey).toBe(publicKey);
    // The array itself, as a JSON body carries it.
    expect(importSecretKey([...secretKey]).publicKey).toBe(publicKey);
  });

  it("refuses malformed input with INVALID_SECRET_KEY and never echoes it", () => {
    const { secretKey } = createWalletKeypair();
    const base58 = getBase58Decoder().decode(secretKey);
    const wrongHalf = new Uint8Array(secretKey);
    wrongHalf[40] = (wrongHalf[40] ?? 0) ^ 1;
    const cases: unknown[] = [
      "",
      "not a key",
      base58.slice(0, 60),
      `${base58}0`, // 0 is not base58
      getBase58Decoder().decode(secretKey.subarray(0, 32)), // a seed alone
      getBase58Decoder().decode(wrongHalf),
      JSON.stringify([...secretKey].slice(0, 63)),
      JSON.stringify([...secretKey.subarray(0, 63), 256]),
      JSON.stringify([...secretKey.subarray(0, 63), -1]),
      JSON.stringify([...wrongHalf]),
      `[${[...secretKey].join(",")},]`,
      [...secretKey].slice(0, 63),
      [...secretKey, 0],
      [...secretKey.subarray(0, 63), 256],
      [...secretKey.subarray(0, 63), 0.5],
      [...secretKey.subarray(0, 63), "1"],
      [...wrongHalf],
      [],
      {},
      42,
      null,
    ];
    for (const input of cases) {
      const error = importError(input);
      expect(isOspreyError(error, "INVALID_SECRET_KEY"), String(input).slice(0, 10)).toBe(true);
      const shown = JSON.stringify({ message: (error as Error).message, ...(error as object) });
      if (typeof input === "string" && input.length > 8) {
        expect(shown).not.toContain(input.slice(0, 12));
        expect(shown).not.toContain(input.replace(/[[\]\s]/g, "").slice(0, 12));
      }
    }
  });

  it("refuses to export bytes that are not a valid keypair", () => {
    expect(() => exportSecretKey(new Uint8Array(64))).toThrow(/secret key/);
  });
});
