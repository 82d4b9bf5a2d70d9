import { randomBytes } from "node:crypto";

/** The source of every salt, nonce, key and token: a parameter so tests can make it deterministic. */
export type RandomBytes = (length: number) => Uint8Array;

export const systemRandomBytes: RandomBytes = (length) => new Uint8Array(randomBytes(length));

/** Overwrites key material in place; JS cannot guarantee no copy survives, but this one won't. */
export function wipe(...buffers: (Uint8Array | null | undefined)[]): void {
  for (const buffer of buffers) buffer?.fill(0);
}
