import type { Address } from "@solana/kit";
import { z } from "zod";
import type { Commitment } from "../chain/commitment.js";
import { base58ToBytes } from "../encoding/base58.js";
import { RpcError, RpcErrorCode } from "./rpc-error.js";
import { describeSerdeIssue, serdeInvalidParams, u64Complaint } from "./serde-messages.js";

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
  .refine((value) => value in LEGACY_COMMITMENTS, {
    error: (issue) =>
      serdeInvalidParams(
        `unknown variant \`${String(issue.input)}\`, expected one of \`processed\`, \`confirmed\`, \`finalized\``,
      ),
  })
  .transform((value) => LEGACY_COMMITMENTS[value] as Commitment);

/**
 * agave's `FromStr` for Pubkey/Hash (max 44 chars, 32 bytes) and Signature (max 88, 64 bytes):
 * too long or the wrong length is `WrongSize`, not base58 is `Invalid`; verify_pubkey/verify_signature
 * print it as "Invalid param: {err:?}".
 */
function base58ParseError(text: string, maxLength: number, size: number): string | null {
  if (text.length > maxLength) return "WrongSize";
  const bytes = base58ToBytes(text);
  if (!bytes) return "Invalid";
  return bytes.length === size ? null : "WrongSize";
}

function base58Schema(maxLength: number, size: number) {
  return z.string().superRefine((value, ctx) => {
    const problem = base58ParseError(value, maxLength, size);
    if (problem) ctx.addIssue({ code: "custom", message: `Invalid param: ${problem}` });
  });
}

export const addressSchema = base58Schema(44, 32).transform((value) => value as Address);
/** A blockhash (agave's verify_hash: same rules as a pubkey). */
export const hashSchema = base58Schema(44, 32);
export const signatureSchema = base58Schema(88, 64);

const U64_LIMIT = 2n ** 64n;

/** Integers past 2^53 arrive as bigints (parseJsonBody); a float near 2^64 still counts as one. */
function isU64(value: unknown): value is number | bigint {
  if (typeof value === "bigint") return value >= 0n && value < U64_LIMIT;
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value < 2 ** 64;
}

const u64Value = z.custom<number | bigint>(isU64, { error: (issue) => u64Complaint(issue.input) });

/** A u64 read as a number (fields only compared against the ledger's slots, such as minContextSlot). */
export const u64NumberSchema = u64Value.transform((value) => Number(value));

/** A u64, exact: a slot of 2^63 − 1 stays 9223372036854775807 in what the handler answers. */
export const u64Schema = u64Value.transform((value) => BigInt(value));

/** Config objects are lenient about unknown keys, as agave is for most methods. */
export const commitmentConfigSchema = z.looseObject({
  commitment: commitmentSchema.optional(),
  minContextSlot: u64NumberSchema.optional(),
});

// agave's UiAccountEncoding, in its declaration order (serde lists variants in that order).
export const accountEncodingSchema = z.enum([
  "binary",
  "base58",
  "base64",
  "jsonParsed",
  "base64+zstd",
]);
export const dataSliceSchema = z.object({
  offset: u64NumberSchema,
  length: u64NumberSchema,
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

interface Arity {
  required: number;
  total: number;
}

// Per tuple schema, computed once: parseParams runs on every request.
const arities = new WeakMap<z.ZodType, Arity | null>();

function getArity(schema: z.ZodType): Arity | null {
  let arity = arities.get(schema);
  if (arity === undefined) {
    const def = (schema as { _zod: { def: { type: string; items?: z.ZodType[] } } })._zod.def;
    const items = def.type === "tuple" ? def.items : undefined;
    arity = items
      ? {
          total: items.length,
          required: items.filter(
            (item) => (item as { _zod: { optin?: string } })._zod.optin !== "optional",
          ).length,
        }
      : null;
    arities.set(schema, arity);
  }
  return arity;
}

/** jsonrpc-derive's arity checks, made before any param is deserialised. */
function assertArity(schema: z.ZodType, count: number): void {
  const arity = getArity(schema);
  if (!arity) return;
  const { required, total } = arity;
  if (required === total) {
    if (count < total) {
      throw serdeError(`invalid length ${count}, expected a tuple of size ${total}`);
    }
    if (count > total)
      throw serdeError(`invalid length ${count}, expected fewer elements in array`);
    return;
  }
  if (count < required) {
    throw new RpcError(
      RpcErrorCode.INVALID_PARAMS,
      `\`params\` should have at least ${required} argument(s)`,
    );
  }
  if (count > total) {
    throw new RpcError(
      RpcErrorCode.INVALID_PARAMS,
      `Invalid parameters: Expected from ${required} to ${total} parameters.`,
      `"Got: ${count}"`,
    );
  }
}

function serdeError(detail: string): RpcError {
  return new RpcError(RpcErrorCode.INVALID_PARAMS, serdeInvalidParams(detail));
}

/**
 * Validates positional params with the validator's wording: arity as jsonrpc-derive words it, type
 * mismatches as serde does ("Invalid params: invalid type: …."), and each schema's own agave message
 * (e.g. "Invalid param: WrongSize") verbatim.
 */
export function parseParams<T extends z.ZodType>(schema: T, params: unknown): z.infer<T> {
  const list = params === undefined || params === null ? [] : params;
  if (Array.isArray(list)) assertArity(schema, list.length);
  const result = schema.safeParse(list);
  if (result.success) return result.data;
  // Parsed again only to word the failure: an error map on every parse doubles its cost.
  const worded = schema.safeParse(list, { error: describeSerdeIssue });
  throw new RpcError(
    RpcErrorCode.INVALID_PARAMS,
    worded.error?.issues[0]?.message ?? "Invalid params",
  );
}
