import { z } from "zod";
import { OspreyError } from "../core/osprey-error.js";
import { getKdfParamsProblem, type KdfParams } from "./kdf-params.js";

/** The spec's format: base64(salt 64 | nonce 12 | tag 16 | ciphertext), fixed argon2id params, no AAD. */
export interface KeyEnvelopeV1 {
  readonly version: 1;
  readonly salt: Buffer;
  readonly nonce: Buffer;
  readonly tag: Buffer;
  readonly ciphertext: Buffer;
}

/** Osprey's format: records its KDF parameters so they can change without breaking old wallets. */
export interface KeyEnvelopeV2 {
  readonly version: 2;
  readonly kdf: KdfParams;
  readonly salt: Buffer;
  readonly nonce: Buffer;
  readonly tag: Buffer;
  readonly ciphertext: Buffer;
}

export type KeyEnvelope = KeyEnvelopeV1 | KeyEnvelopeV2;

export const V1_KDF_PARAMS: KdfParams = { memoryKiB: 65_536, passes: 3, parallelism: 4 };
export const V1_SALT_BYTES = 64;
export const V2_SALT_BYTES = 32;
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;
// A Solana secret key is 64 bytes; anything else in the box is not ours.
const SECRET_BYTES = 64;

const b64 = (bytes: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9+/]*={0,2}$/)
    .transform((text) => Buffer.from(text, "base64"))
    .refine((buffer) => buffer.length === bytes);

const v2Schema = z.strictObject({
  v: z.literal(2),
  kdf: z.strictObject({
    alg: z.literal("argon2id"),
    m: z.number().int(),
    t: z.number().int(),
    p: z.number().int(),
    salt: b64(V2_SALT_BYTES),
  }),
  cipher: z.strictObject({
    alg: z.literal("aes-256-gcm"),
    nonce: b64(NONCE_BYTES),
    tag: b64(TAG_BYTES),
    ct: b64(SECRET_BYTES),
  }),
});

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

const v1Schema = z.object({
  ciphertext: z.string(),
  algorithm: z.literal("aes-256-gcm"),
  version: z.literal(1),
});

function invalid(reason: string): OspreyError {
  return new OspreyError("ENVELOPE_INVALID", `The stored wallet key is malformed: ${reason}.`);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw invalid("not JSON");
  }
}

function parseV1(base64: string): KeyEnvelopeV1 {
  if (!BASE64.test(base64)) throw invalid("version 1 is not base64");
  const combined = Buffer.from(base64, "base64");
  const head = V1_SALT_BYTES + NONCE_BYTES + TAG_BYTES;
  if (combined.length !== head + SECRET_BYTES) throw invalid("version 1 has the wrong length");
  return {
    version: 1,
    salt: combined.subarray(0, V1_SALT_BYTES),
    nonce: combined.subarray(V1_SALT_BYTES, V1_SALT_BYTES + NONCE_BYTES),
    tag: combined.subarray(V1_SALT_BYTES + NONCE_BYTES, head),
    ciphertext: combined.subarray(head),
  };
}

/** Reads a stored envelope (v2 JSON, the spec's v1 JSON, or a bare v1 base64 string). */
export function parseKeyEnvelope(text: string): KeyEnvelope {
  const value: unknown = text.trimStart().startsWith("{") ? parseJson(text) : text.trim();
  if (typeof value === "string") return parseV1(value);
  const v1 = v1Schema.safeParse(value);
  if (v1.success) return parseV1(v1.data.ciphertext);
  const v2 = v2Schema.safeParse(value);
  if (!v2.success) throw invalid("unknown version or missing fields");
  const { kdf, cipher } = v2.data;
  const params: KdfParams = { memoryKiB: kdf.m, passes: kdf.t, parallelism: kdf.p };
  // Weak or huge stored parameters mean tampering: refuse before spending any argon2 time.
  const problem = getKdfParamsProblem(params);
  if (problem !== null) throw invalid(problem);
  return {
    version: 2,
    kdf: params,
    salt: kdf.salt,
    nonce: cipher.nonce,
    tag: cipher.tag,
    ciphertext: cipher.ct,
  };
}

/** The TEXT stored in the wallets row. */
export function serializeKeyEnvelope(envelope: KeyEnvelopeV2): string {
  return JSON.stringify({
    v: 2,
    kdf: {
      alg: "argon2id",
      m: envelope.kdf.memoryKiB,
      t: envelope.kdf.passes,
      p: envelope.kdf.parallelism,
      salt: envelope.salt.toString("base64"),
    },
    cipher: {
      alg: "aes-256-gcm",
      nonce: envelope.nonce.toString("base64"),
      tag: envelope.tag.toString("base64"),
      ct: envelope.ciphertext.toString("base64"),
    },
  });
}

/** Binds the ciphertext to its wallet row and parameters: moved or edited, it no longer opens. */
export function getEnvelopeAad(walletId: string, publicKey: string, kdf: KdfParams): Buffer {
  return Buffer.from(
    `osprey/wallet-key/v2\n${walletId}\n${publicKey}\nargon2id m=${kdf.memoryKiB} t=${kdf.passes} p=${kdf.parallelism}`,
    "utf8",
  );
}
