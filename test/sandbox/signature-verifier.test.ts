import { generateKeyPairSync, sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createSignatureVerifier } from "../../src/sandbox/chain/signature-verifier.js";

describe("signature verifier", () => {
  it("accepts exactly the signatures made by each signer's key", () => {
    const { verify } = createSignatureVerifier();
    const { publicKey, privateKey } = generateKeyPairSync("ed25519");
    const raw = new Uint8Array(publicKey.export({ format: "der", type: "spki" }).subarray(12));
    const message = new Uint8Array(200).fill(3);
    const signature = new Uint8Array(sign(null, message, privateKey));
    expect(verify(message, [signature], [raw], ["signer"])).toBe(true);
    // Again, from the cached key.
    expect(verify(message, [signature], [raw], ["signer"])).toBe(true);
    const tampered = Uint8Array.from(message);
    tampered[0] = 4;
    expect(verify(tampered, [signature], [raw], ["signer"])).toBe(false);
    const other = new Uint8Array(
      generateKeyPairSync("ed25519").publicKey.export({ format: "der", type: "spki" }).subarray(12),
    );
    expect(verify(message, [signature], [other], ["other"])).toBe(false);
    // y = 2 is not on the curve: no key, no valid signature.
    const offCurve = new Uint8Array(32);
    offCurve[0] = 2;
    expect(verify(message, [signature], [offCurve], ["off-curve"])).toBe(false);
    expect(verify(message, [signature], [raw.subarray(0, 31)], ["short"])).toBe(false);
    expect(verify(message, [signature, signature], [raw], ["signer"])).toBe(false);
  });
  it("trusts its own signatures only for the same signer and the same bytes", () => {
    const { verify, rememberOwn } = createSignatureVerifier();
    const { publicKey } = generateKeyPairSync("ed25519");
    const raw = new Uint8Array(publicKey.export({ format: "der", type: "spki" }).subarray(12));
    const message = new Uint8Array(100).fill(1);
    // Not a real signature: only remembering makes it pass, and only for what was remembered.
    const signature = new Uint8Array(64).fill(9);
    expect(verify(message, [signature], [raw], ["pool"])).toBe(false);
    rememberOwn("pool", message, signature);
    expect(verify(message, [signature], [raw], ["pool"])).toBe(true);
    expect(verify(message, [signature], [raw], ["someone-else"])).toBe(false);
    const other = Uint8Array.from(message);
    other[99] = 2;
    expect(verify(other, [signature], [raw], ["pool"])).toBe(false);
  });
});
