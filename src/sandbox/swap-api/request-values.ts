import { type Address, isAddress } from "@solana/kit";
import { invalidRequest } from "./swap-api-error.js";

export const U64_MAX = (1n << 64n) - 1n;

/** A u64 amount from a string of digits (or a safe JSON integer); 0 only when `allowZero`. */
export function parseAmount(value: unknown, name: string, allowZero = false): bigint {
  const text = typeof value === "number" && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof text !== "string" || !/^\d{1,20}$/.test(text)) {
    throw invalidRequest(`${name} must be a whole number of base units, as a string of digits`);
  }
  const amount = BigInt(text);
  if (amount > U64_MAX) throw invalidRequest(`${name} exceeds the u64 maximum`);
  if (amount === 0n && !allowZero) throw invalidRequest(`${name} must be greater than zero`);
  return amount;
}

export function parseAddress(value: unknown, name: string): Address {
  if (typeof value !== "string" || !isAddress(value)) {
    throw invalidRequest(`${name} is not a valid public key`);
  }
  return value;
}

/** An integer within [min, max] from a query string or JSON number; `fallback` when absent. */
export function parseInteger(
  value: unknown,
  name: string,
  min: number,
  max: number,
  fallback?: number,
): number {
  if ((value === undefined || value === "") && fallback !== undefined) return fallback;
  const number =
    typeof value === "number"
      ? value
      : typeof value === "string" && /^-?\d{1,10}$/.test(value)
        ? Number(value)
        : Number.NaN;
  if (!Number.isInteger(number) || number < min || number > max) {
    throw invalidRequest(`${name} must be an integer from ${min} to ${max}`);
  }
  return number;
}

export function parseBoolean(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined || value === "") return fallback;
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  throw invalidRequest(`${name} must be true or false`);
}

export function parseSwapMode(value: unknown): "ExactIn" | "ExactOut" {
  if (value === undefined || value === "" || value === "ExactIn") return "ExactIn";
  if (value === "ExactOut") return "ExactOut";
  throw invalidRequest("swapMode must be ExactIn or ExactOut");
}
