import { base58ToBytes } from "./base58.js";
import { OspreyError } from "./osprey-error.js";

declare const addressBrand: unique symbol;
declare const mintBrand: unique symbol;
declare const signatureBrand: unique symbol;

/** A base58 public key of 32 bytes. Structurally a string, so it passes to @solana/kit as-is. */
export type Address = string & { readonly [addressBrand]: true };
/** An address that names a token mint. */
export type TokenMint = Address & { readonly [mintBrand]: true };
/** A base58 transaction signature of 64 bytes. */
export type Signature = string & { readonly [signatureBrand]: true };

function base58Length(value: unknown, maxChars: number): number {
  if (typeof value !== "string" || value.length === 0 || value.length > maxChars) return -1;
  return base58ToBytes(value)?.length ?? -1;
}

export function isAddress(value: unknown): value is Address {
  return base58Length(value, 44) === 32;
}

export function assertIsAddress(value: unknown, field = "address"): asserts value is Address {
  if (!isAddress(value)) {
    throw new OspreyError("INVALID_ADDRESS", `${field} must be a base58 public key of 32 bytes.`, {
      field,
    });
  }
}

export function address(value: string): Address {
  assertIsAddress(value);
  return value;
}

export function isTokenMint(value: unknown): value is TokenMint {
  return isAddress(value);
}

export function assertIsTokenMint(value: unknown): asserts value is TokenMint {
  assertIsAddress(value, "mint");
}

export function tokenMint(value: string): TokenMint {
  assertIsTokenMint(value);
  return value;
}

export function isSignature(value: unknown): value is Signature {
  return base58Length(value, 88) === 64;
}

export function assertIsSignature(value: unknown): asserts value is Signature {
  if (!isSignature(value)) {
    throw new OspreyError("INVALID_SIGNATURE", "signature must be base58 of 64 bytes.");
  }
}

export function signature(value: string): Signature {
  assertIsSignature(value);
  return value;
}
