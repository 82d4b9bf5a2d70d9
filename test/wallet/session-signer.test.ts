import {
  blockhash,
  createKeyPairSignerFromBytes,
  createTransactionMessage,
  getBase58Encoder,
  pipe,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
} from "@solana/kit";
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
    absoluteExpiresAt: 0,
  };
}

function codeOf(make: () => unknown): unknown {
  try {
    make();
    return "made";
  } catch (error) {
    return isOspreyError(error) ? error.code : error;
  }
}

describe("session signer", () => {
  it("signs with the wallet's key, verifiable against its address, and wipes the bytes", async () => {
    const wallet = createWalletKeypair();
    const secretKey = wallet.secretKey.slice();
    const signer = createSessionSigner(sessionKey(secretKey, wallet.publicKey));
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
    // signNow makes the same (deterministic) signature at once.
    expect(signer.signNow(content)).toEqual(signature);
  });

  it("signs transactions through kit's signer interface", async () => {
    const wallet = createWalletKeypair();
    const signer = createSessionSigner(sessionKey(wallet.secretKey.slice(), wallet.publicKey));
    const message = pipe(
      createTransactionMessage({ version: 0 }),
      (m) => setTransactionMessageFeePayerSigner(signer, m),
      (m) =>
        setTransactionMessageLifetimeUsingBlockhash(
          {
            blockhash: blockhash("4Nd1mBQtrMJVYVfKf2PJy9NZUZdTAsp7D4xWLs4gDB4T"),
            lastValidBlockHeight: 1n,
          },
          m,
        ),
    );
    const signed = await signTransactionMessageWithSigners(message);
    const signature = signed.signatures[signer.address] as Uint8Array;
    expect(signer.signNow(signed.messageBytes as unknown as Uint8Array)).toEqual(signature);
    const kit = await createKeyPairSignerFromBytes(wallet.secretKey);
    const [byKit] = await kit.signMessages([
      { content: signed.messageBytes as unknown as Uint8Array, signatures: {} },
    ]);
    expect(byKit?.[kit.address]).toEqual(signature);
  });

  it("refuses a key whose public half is not its private half's, and wipes it", async () => {
    const wallet = createWalletKeypair();
    const other = createWalletKeypair();
    const spliced = wallet.secretKey.slice();
    spliced.set(other.secretKey.subarray(32), 32);
    expect(codeOf(() => createSessionSigner(sessionKey(spliced, other.publicKey)))).toBe(
      "WALLET_KEY_MISMATCH",
    );
    expect(spliced.every((byte) => byte === 0)).toBe(true);
  });

  it("refuses a key that is not the session's wallet's", async () => {
    const wallet = createWalletKeypair();
    const other = createWalletKeypair();
    expect(
      codeOf(() => createSessionSigner(sessionKey(wallet.secretKey.slice(), other.publicKey))),
    ).toBe("WALLET_KEY_MISMATCH");
    expect(
      codeOf(() => createSessionSigner(sessionKey(new Uint8Array(32), wallet.publicKey))),
    ).toBe("WALLET_KEY_MISMATCH");
  });
});
