import { describe, expect, it } from "vitest";
import type { Address } from "../../src/core/addresses.js";
import { isOspreyError } from "../../src/core/osprey-error.js";
import {
  createKdfLimiter,
  createWalletCipher,
  createWalletKeypair,
  DEFAULT_KDF_PARAMS,
  OWASP_MIN_KDF_PARAMS,
  parseKeyEnvelope,
} from "../../src/wallet/index.js";
import { encryptLikeSpecV1 } from "./spec-v1-encrypt.js";

const limiter = createKdfLimiter({ maxConcurrent: 2 });
const cipher = createWalletCipher({ limiter, params: OWASP_MIN_KDF_PARAMS });
const WALLET = "0190a5b0-0000-7000-8000-000000000001";
const OTHER_WALLET = "0190a5b0-0000-7000-8000-000000000002";
const PASSWORD = "correct horse battery staple";

async function expectCode(promise: Promise<unknown>, code: string) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isOspreyError(error) ? error.code : error).toBe(code);
  return error;
}

function freshWallet() {
  const keypair = createWalletKeypair();
  return { keypair, ref: { walletId: WALLET, publicKey: keypair.publicKey } };
}

describe("wallet cipher", () => {
  it("round-trips a key and reports no upgrade for a current v2 envelope", async () => {
    const { keypair, ref } = freshWallet();
    const envelope = await cipher.encrypt(ref, keypair.secretKey, PASSWORD);
    expect(JSON.parse(envelope)).toMatchObject({
      v: 2,
      kdf: { alg: "argon2id", m: 19456, t: 2, p: 1 },
      cipher: { alg: "aes-256-gcm" },
    });
    const opened = await cipher.decrypt(ref, envelope, PASSWORD);
    expect(Buffer.from(opened.secretKey).equals(Buffer.from(keypair.secretKey))).toBe(true);
    expect(opened.needsUpgrade).toBe(false);
  });

  it("refuses a ciphertext moved to another wallet id or public key", async () => {
    const { keypair, ref } = freshWallet();
    const envelope = await cipher.encrypt(ref, keypair.secretKey, PASSWORD);
    await expectCode(
      cipher.decrypt({ ...ref, walletId: OTHER_WALLET }, envelope, PASSWORD),
      "WALLET_DECRYPT_FAILED",
    );
    const other = createWalletKeypair().publicKey;
    await expectCode(
      cipher.decrypt({ ...ref, publicKey: other }, envelope, PASSWORD),
      "WALLET_DECRYPT_FAILED",
    );
  });

  it("gives the same error for a wrong password as for tampered bytes", async () => {
    const { keypair, ref } = freshWallet();
    const envelope = await cipher.encrypt(ref, keypair.secretKey, PASSWORD);
    const error = await expectCode(cipher.decrypt(ref, envelope, "wrong"), "WALLET_DECRYPT_FAILED");
    expect(String((error as Error).message)).not.toMatch(/password was|data was/i);
  });

  describe("refuses every tampered field", async () => {
    const { keypair, ref } = freshWallet();
    const envelope = await cipher.encrypt(ref, keypair.secretKey, PASSWORD);
    const flip = (b64: string) => {
      const bytes = Buffer.from(b64, "base64");
      bytes[0] = (bytes[0] ?? 0) ^ 1;
      return bytes.toString("base64");
    };
    type Json = { v: number; kdf: Record<string, unknown>; cipher: Record<string, unknown> };
    const edits: [string, (e: Json) => void, string][] = [
      ["kdf.salt", (e) => (e.kdf.salt = flip(e.kdf.salt as string)), "WALLET_DECRYPT_FAILED"],
      [
        "cipher.nonce",
        (e) => (e.cipher.nonce = flip(e.cipher.nonce as string)),
        "WALLET_DECRYPT_FAILED",
      ],
      ["cipher.tag", (e) => (e.cipher.tag = flip(e.cipher.tag as string)), "WALLET_DECRYPT_FAILED"],
      ["cipher.ct", (e) => (e.cipher.ct = flip(e.cipher.ct as string)), "WALLET_DECRYPT_FAILED"],
      ["kdf.m (stronger)", (e) => (e.kdf.m = 20_000), "WALLET_DECRYPT_FAILED"],
      ["kdf.t (stronger)", (e) => (e.kdf.t = 3), "WALLET_DECRYPT_FAILED"],
      ["kdf.p (stronger)", (e) => (e.kdf.p = 2), "WALLET_DECRYPT_FAILED"],
      ["kdf.m (weaker)", (e) => (e.kdf.m = 1024), "ENVELOPE_INVALID"],
      ["kdf.m (huge)", (e) => (e.kdf.m = 1 << 30), "ENVELOPE_INVALID"],
      ["kdf.alg", (e) => (e.kdf.alg = "argon2i"), "ENVELOPE_INVALID"],
      ["cipher.alg", (e) => (e.cipher.alg = "aes-128-gcm"), "ENVELOPE_INVALID"],
      ["v", (e) => (e.v = 3), "ENVELOPE_INVALID"],
      ["short tag", (e) => (e.cipher.tag = "AAAA"), "ENVELOPE_INVALID"],
      ["extra field", (e) => Object.assign(e.cipher, { extra: 1 }), "ENVELOPE_INVALID"],
    ];
    for (const [field, edit, code] of edits) {
      it(`${field} → ${code}`, async () => {
        const tampered = JSON.parse(envelope) as Json;
        edit(tampered);
        await expectCode(cipher.decrypt(ref, JSON.stringify(tampered), PASSWORD), code);
      });
    }
    it("not JSON → ENVELOPE_INVALID", async () => {
      await expectCode(cipher.decrypt(ref, "{not json", PASSWORD), "ENVELOPE_INVALID");
    });
  });

  it("opens a version-1 envelope made by the spec's algorithm and asks for an upgrade", async () => {
    const { keypair, ref } = freshWallet();
    const v1 = await encryptLikeSpecV1(keypair.secretKey, PASSWORD);
    expect(parseKeyEnvelope(v1).version).toBe(1);
    const opened = await cipher.decrypt(ref, v1, PASSWORD);
    expect(opened.needsUpgrade).toBe(true);
    expect(Buffer.from(opened.secretKey).equals(Buffer.from(keypair.secretKey))).toBe(true);
    const upgraded = await cipher.encrypt(ref, opened.secretKey, PASSWORD);
    expect(parseKeyEnvelope(upgraded).version).toBe(2);
    expect((await cipher.decrypt(ref, upgraded, PASSWORD)).needsUpgrade).toBe(false);
    // The bare base64 form of v1 is read too.
    const bare = (JSON.parse(v1) as { ciphertext: string }).ciphertext;
    expect((await cipher.decrypt(ref, bare, PASSWORD)).needsUpgrade).toBe(true);
    await expectCode(cipher.decrypt(ref, v1, "wrong"), "WALLET_DECRYPT_FAILED");
    const bytes = Buffer.from(bare, "base64");
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
    await expectCode(
      cipher.decrypt(ref, bytes.toString("base64"), PASSWORD),
      "WALLET_DECRYPT_FAILED",
    );
    await expectCode(cipher.decrypt(ref, bare.slice(0, 40), PASSWORD), "ENVELOPE_INVALID");
  });

  it("catches a v1 ciphertext (no AAD) moved to another wallet by the public-key check", async () => {
    const { keypair } = freshWallet();
    const v1 = await encryptLikeSpecV1(keypair.secretKey, PASSWORD);
    const other = { walletId: OTHER_WALLET, publicKey: createWalletKeypair().publicKey };
    await expectCode(cipher.decrypt(other, v1, PASSWORD), "WALLET_KEY_MISMATCH");
  });

  it("asks to upgrade a v2 envelope whose parameters are weaker than configured", async () => {
    const { keypair, ref } = freshWallet();
    const weak = await cipher.encrypt(ref, keypair.secretKey, PASSWORD);
    const stronger = createWalletCipher({
      limiter,
      params: { ...OWASP_MIN_KDF_PARAMS, passes: 3 },
    });
    expect((await stronger.decrypt(ref, weak, PASSWORD)).needsUpgrade).toBe(true);
  });

  it("refuses parameters below the OWASP minimum", () => {
    for (const params of [
      { ...OWASP_MIN_KDF_PARAMS, memoryKiB: 19_455 },
      { ...OWASP_MIN_KDF_PARAMS, passes: 1 },
      { ...OWASP_MIN_KDF_PARAMS, parallelism: 0 },
      { ...OWASP_MIN_KDF_PARAMS, passes: 2.5 },
    ]) {
      let error: unknown;
      try {
        createWalletCipher({ limiter, params });
      } catch (e) {
        error = e;
      }
      expect(isOspreyError(error, "CONFIG_INVALID")).toBe(true);
      expect((error as Error).message).toMatch(/OWASP|integer|ceiling/);
    }
  });

  it("caps the password length at 1–256 before any argon2 work", async () => {
    const { keypair, ref } = freshWallet();
    await expectCode(cipher.encrypt(ref, keypair.secretKey, ""), "INVALID_PASSWORD");
    await expectCode(cipher.encrypt(ref, keypair.secretKey, "x".repeat(257)), "INVALID_PASSWORD");
    const envelope = await cipher.encrypt(ref, keypair.secretKey, "x".repeat(256));
    await expectCode(cipher.decrypt(ref, envelope, "x".repeat(10_000)), "INVALID_PASSWORD");
  });

  it("refuses to encrypt a key under the wrong public key", async () => {
    const { keypair } = freshWallet();
    const ref = { walletId: WALLET, publicKey: createWalletKeypair().publicKey as Address };
    await expectCode(cipher.encrypt(ref, keypair.secretKey, PASSWORD), "WALLET_KEY_MISMATCH");
  });

  it("answers BUSY when more unlocks wait than the queue bound allows", async () => {
    const tight = createWalletCipher({
      limiter: createKdfLimiter({ maxConcurrent: 1, maxQueued: 1 }),
      params: OWASP_MIN_KDF_PARAMS,
    });
    const { keypair, ref } = freshWallet();
    const envelope = await tight.encrypt(ref, keypair.secretKey, PASSWORD);
    const results = await Promise.allSettled(
      [1, 2, 3].map(() => tight.decrypt(ref, envelope, PASSWORD)),
    );
    const codes = results.map((r) =>
      r.status === "fulfilled" ? "ok" : (r.reason as { code: string }).code,
    );
    expect(codes).toEqual(["ok", "ok", "BUSY"]);
  });

  it("works with the default parameters (64 MiB, t=3, p=4)", async () => {
    const defaults = createWalletCipher({ limiter });
    expect(defaults.params).toEqual(DEFAULT_KDF_PARAMS);
    const { keypair, ref } = freshWallet();
    const envelope = await defaults.encrypt(ref, keypair.secretKey, PASSWORD);
    expect(JSON.parse(envelope).kdf).toMatchObject({ m: 65536, t: 3, p: 4 });
    const opened = await defaults.decrypt(ref, envelope, PASSWORD);
    expect(opened.needsUpgrade).toBe(false);
  });
});
