import { z } from "zod";

// Plain decimal digits, no sign but a minus, no leading zero, at most 15 digits (a safe integer).
const PLAIN_INTEGER = /^(0|-?[1-9][0-9]{0,14})$/;

/** The whole number `text` spells in plain decimal digits, or undefined ("0x10", " 1 ", "1e2"…). */
export function parseStrictInteger(text: string): number | undefined {
  return PLAIN_INTEGER.test(text) ? Number(text) : undefined;
}

/**
 * A whole-number query parameter from `min` to `max`. Strict where `z.coerce.number()` is not:
 * "0x10", " 1 ", "+1", "1e2", "1.0" and "015" are refused with 400 INVALID_INPUT, not read as numbers.
 */
export function queryInteger(min: number, max: number) {
  return z
    .string()
    .regex(PLAIN_INTEGER, "expected a whole number in plain decimal digits")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .describe(`A whole number from ${min} to ${max}`);
}
