import { z } from "zod";

/**
 * A u64 a client may send near u64::MAX (a slot or epoch "surely too high"): JSON numbers past
 * 2^53 arrive rounded, but must still be accepted and answered as too high, not refused as params.
 */
export const largeU64Schema = z
  .number()
  .nonnegative()
  .refine(Number.isInteger, "Invalid params: expected a u64")
  .transform((value) => BigInt(value));
