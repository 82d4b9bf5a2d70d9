import type { Address } from "@solana/kit";
import { z } from "zod";
import type { Commitment } from "../chain/commitment.js";
import { addressToBytes } from "../encoding/base58.js";
import { invalidParams } from "./rpc-error.js";

const LEGACY_COMMITMENTS: Record<string, Commitment> = {
  processed: "processed",
  recent: "processed",
  confirmed: "confirmed",
  single: "confirmed",
  singleGossip: "confirmed",
  finalized: "finalized",
  root: "finalized",
  max: "finalized",
};

export const commitmentSchema = z
  .string()
  .refine((value) => value in LEGACY_COMMITMENTS, "Invalid commitment")
  .transform((value) => LEGACY_COMMITMENTS[value] as Commitment);

export const addressSchema = z
  .string()
  .refine((value) => addressToBytes(value) !== null, "Invalid param: Invalid")
  .transform((value) => value as Address);

export const u64Schema = z
  .union([z.number().int().nonnegative(), z.bigint().nonnegative()])
  .transform(BigInt);

/** Config objects are lenient about unknown keys, as agave is for most methods. */
export const commitmentConfigSchema = z.looseObject({
  commitment: commitmentSchema.optional(),
  minContextSlot: z.number().int().nonnegative().optional(),
});

export const accountEncodingSchema = z.enum([
  "base58",
  "base64",
  "base64+zstd",
  "jsonParsed",
  "binary",
]);
export const dataSliceSchema = z.object({
  offset: z.number().int().nonnegative(),
  length: z.number().int().nonnegative(),
});

export const accountConfigSchema = commitmentConfigSchema.extend({
  encoding: accountEncodingSchema.optional(),
  dataSlice: dataSliceSchema.optional(),
});

export type AccountConfig = z.infer<typeof accountConfigSchema>;

/** Optional trailing config: absent, null or an object. */
export function optionalConfig<T extends z.ZodType>(schema: T) {
  return schema.nullish().transform((value) => value ?? undefined);
}

/** Validates positional params; any mismatch is a -32602 with zod's first complaint. */
export function parseParams<T extends z.ZodType>(schema: T, params: unknown): z.infer<T> {
  const list = params === undefined || params === null ? [] : params;
  const result = schema.safeParse(list);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join(".")}` : "";
  throw invalidParams(`${issue?.message ?? "invalid params"}${where}`);
}
