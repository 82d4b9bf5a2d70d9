import { createHash, timingSafeEqual } from "node:crypto";
import type { RandomBytes } from "./random-bytes.js";

export interface SessionToken {
  /** 128-bit random id, base64url: names the kv record, not secret. */
  readonly id: string;
  /** 256-bit random secret: only its sha256 is stored. */
  readonly secret: Buffer;
  /** `id.secret`, what the client sends back in X-Trading-Session. */
  readonly token: string;
}

const TOKEN = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

export function createSessionToken(random: RandomBytes): SessionToken {
  const id = Buffer.from(random(16)).toString("base64url");
  const secret = Buffer.from(random(32));
  return { id, secret, token: `${id}.${secret.toString("base64url")}` };
}

/** Null for anything that is not exactly a token we could have issued. */
export function parseSessionToken(token: unknown): SessionToken | null {
  if (typeof token !== "string") return null;
  const match = TOKEN.exec(token);
  if (!match?.[1] || !match[2]) return null;
  return { id: match[1], secret: Buffer.from(match[2], "base64url"), token };
}

export function getSessionSecretHash(secret: Buffer): Buffer {
  return createHash("sha256").update(secret).digest();
}

/** Constant-time, so the comparison leaks nothing about how much of the hash matched. */
export function isSessionSecret(secret: Buffer, storedHash: Buffer): boolean {
  const hash = getSessionSecretHash(secret);
  return hash.length === storedHash.length && timingSafeEqual(hash, storedHash);
}
