import type { Address } from "@solana/kit";
import { z } from "zod";
import type { SetAccountInput } from "../chain/sandbox-chain.js";
import { base58ToBytes } from "../encoding/base58.js";
import { addressSchema } from "../rpc/params.js";

const U64_MAX = 18_446_744_073_709_551_615n;

/** A u64 as a JSON number or a digit string (big values arrive quoted: see `quoteBigIntegers`). */
export const u64ValueSchema = z
  .union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)])
  .transform(BigInt)
  .refine((value) => value <= U64_MAX, "exceeds u64");

/** Account data as the RPC encodes it: `[text, encoding]`, or a bare base64 string. */
export const accountDataSchema = z
  .union([
    z.tuple([z.string(), z.enum(["base64", "base58"])]),
    z.base64().transform((text) => [text, "base64"] as const),
  ])
  .transform(([text, encoding], ctx) => {
    const bytes =
      encoding === "base64" ? new Uint8Array(Buffer.from(text, "base64")) : base58ToBytes(text);
    if (!bytes) ctx.addIssue({ code: "custom", message: "invalid base58 data" });
    return bytes ?? new Uint8Array();
  });

/** Every field of a genesis account, as `solana account --output json` writes it. */
export const accountFieldsSchema = z.object({
  lamports: u64ValueSchema,
  data: accountDataSchema.optional(),
  owner: addressSchema.optional(),
  executable: z.boolean().optional(),
  rentEpoch: u64ValueSchema.optional(),
  space: u64ValueSchema.optional(),
});

export type AccountFields = z.infer<typeof accountFieldsSchema>;

const fixtureSchema = z.object({ pubkey: addressSchema, account: accountFieldsSchema });

/**
 * JSON.parse rounds integers past 2^53, and u64::MAX is a common rentEpoch: quote the integer
 * values of the u64 fields before parsing, so they arrive exact.
 */
export function quoteBigIntegers(text: string): string {
  return text.replace(/("(?:lamports|rentEpoch|space)"\s*:\s*)(\d+)/g, '$1"$2"');
}

/** The chain write for an account's fields; `space` sizes zeroed data when none is given. */
export function toSetAccountInput(address: Address, fields: AccountFields): SetAccountInput {
  const data = fields.data ?? new Uint8Array(Number(fields.space ?? 0n));
  if (fields.space !== undefined && BigInt(data.length) !== fields.space) {
    throw new RangeError(`space ${fields.space} does not match the data's ${data.length} bytes`);
  }
  return {
    address,
    lamports: fields.lamports,
    data,
    ...(fields.owner ? { owner: fields.owner } : {}),
    ...(fields.executable === undefined ? {} : { executable: fields.executable }),
    ...(fields.rentEpoch === undefined ? {} : { rentEpoch: fields.rentEpoch }),
  };
}

/** One solana-test-validator account fixture file: `{ pubkey, account: { lamports, data, … } }`. */
export function parseAccountFixture(text: string): { pubkey: Address; account: AccountFields } {
  const result = fixtureSchema.safeParse(JSON.parse(quoteBigIntegers(text)));
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new SyntaxError(`${issue?.path.join(".") || "fixture"}: ${issue?.message ?? "invalid"}`);
}
