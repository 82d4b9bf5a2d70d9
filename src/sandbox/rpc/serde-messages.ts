import type { z } from "zod";

/** jsonrpc-core's wrapper around a serde error: `Params::parse` formats it as "Invalid params: {e}.". */
export function serdeInvalidParams(detail: string): string {
  return `Invalid params: ${detail}.`;
}

/** A JSON value as serde_json names an unexpected one: integer `1`, string "a", sequence, map. */
export function describeUnexpected(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return `boolean \`${value}\``;
  if (typeof value === "number") {
    return Number.isInteger(value) ? `integer \`${value}\`` : `floating point \`${value}\``;
  }
  if (typeof value === "bigint") return `integer \`${value}\``;
  if (typeof value === "string") return `string ${JSON.stringify(value)}`;
  return Array.isArray(value) ? "sequence" : "map";
}

/** What a u64 field says about a value that is not one. */
export function u64Complaint(value: unknown): string {
  if (typeof value === "bigint" || (typeof value === "number" && Number.isInteger(value))) {
    return serdeInvalidParams(`invalid value: integer \`${value}\`, expected u64`);
  }
  return serdeInvalidParams(`invalid type: ${describeUnexpected(value)}, expected u64`);
}

// How serde names the expected Rust type, by zod's name for it.
const EXPECTED: Record<string, string> = {
  string: "a string",
  number: "u64",
  int: "u64",
  bigint: "u64",
  boolean: "a boolean",
  array: "a sequence",
  tuple: "a sequence",
  object: "a map",
  record: "a map",
};

type SerdeIssue = z.core.$ZodRawIssue;

function variantList(values: readonly unknown[]): string {
  return values.map((value) => `\`${String(value)}\``).join(", ");
}

/** zod's complaint (one with no message of its own) in the words serde would use for the same input. */
export function describeSerdeIssue(issue: SerdeIssue): string {
  const input = issue.input;
  switch (issue.code) {
    case "invalid_type": {
      const expected = EXPECTED[String(issue.expected)] ?? `a ${String(issue.expected)}`;
      if (input === undefined) {
        const field = issue.path?.at(-1);
        return serdeInvalidParams(`missing field \`${String(field ?? "")}\``);
      }
      return serdeInvalidParams(`invalid type: ${describeUnexpected(input)}, expected ${expected}`);
    }
    case "invalid_value": {
      if (typeof input !== "string") {
        return serdeInvalidParams(`invalid type: ${describeUnexpected(input)}, expected a string`);
      }
      return serdeInvalidParams(
        `unknown variant \`${input}\`, expected one of ${variantList(issue.values)}`,
      );
    }
    case "too_small":
    case "too_big":
      if (issue.origin === "number") return u64Complaint(input);
      return serdeInvalidParams(`invalid length ${Array.isArray(input) ? input.length : 0}`);
    case "invalid_union":
      return serdeInvalidParams("data did not match any variant of untagged enum");
    default:
      return serdeInvalidParams(`invalid value: ${describeUnexpected(input)}`);
  }
}
