import { getBase58Encoder } from "@solana/kit";
import { describe, expect, it } from "vitest";
import { isOspreyError } from "../../src/core/osprey-error.js";
import { createSessionSigner, createWalletKeypair } from "../../src/wallet/index.js";
import type { SessionKey } from "../../src/wallet/session-types.js";

function sessionKey(secretKey: Uint8Array, publicKey: string): SessionKey {
  return {
    sessionId: "s",
    userId: "u",
    walletId: "w",
    publicKey: publicKey as SessionKey["publicKey"],
    secretKey,
    expiresAt: 0,
  };
}

async function codeOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => "resolved",
    (error: unknown) => (isOspreyError(error) ? error.code : error),
  );
}

describe("session signer", () => {
  it("signs with the wallet's key, verifiable against its address, and wipes the bytes", async () => {
    const wallet = createWalletKeypair();
    const secretKey = wallet.secretKey.slice();
    const signer = await createSessionSigner(sessionKey(secretKey, wallet.publicKey));
    expect(signer.address).toBe(wallet.publicKey);
    expect(secretKey.every((byte) => byte === 0)).toBe(true);
    const content = new Uint8Array([1, 2, 3]);
    const [signatures] = await signer.signMessages([{ content, signatures: {} }]);
    const signature = signatures?.[signer.address] as Uint8Array;
    const publicKey = await crypto.subtle.importKey(
      "raw",
      new Uint8Array(getBase58Encoder().encode(wallet.publicKey)),
      "Ed25519",
      false,
      ["verify"],
    );
    expect(await crypto.subtle.verify("Ed25519", publicKey, signature, content)).toBe(true);
  });

  it("refuses a key whose public half is not its private half's, and wipes it", async () => {
    const wallet = createWalletKeypair();
    const other = createWalletKeypair();
    const spliced = wallet.secretKey.slice();
    spliced.set(other.secretKey.subarray(32), 32);
    expect(await codeOf(createSessionSigner(sessionKey(spliced, other.publicKey)))).toBe(
      "WALLET_KEY_MISMATCH",
    );
    expect(spliced.every((byte) => byte === 0)).toBe(true);
  });

  it("refuses a key that is not the session's wallet's", async () => {
    const wallet = createWalletKeypair();
    const other = createWalletKeypair();
    expect(
      await codeOf(createSessionSigner(sessionKey(wallet.secretKey.slice(), other.publicKey))),
    ).toBe("WALLET_KEY_MISMATCH");
    expect(
      await codeOf(createSessionSigner(sessionKey(new Uint8Array(32), wallet.publicKey))),
    ).toBe("WALLET_KEY_MISMATCH");
  });
});
