/**
 * JSON.stringify that writes bigints as plain JSON integers: u64 values (lamports, rentEpoch
 * = 2^64-1) must arrive exact, and official clients parse large integers as bigint.
 */
const isFiniteNumber = (item: unknown) => typeof item === "number" && Number.isFinite(item);

export function stringifyJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  switch (typeof value) {
    case "bigint":
      return value.toString();
    case "number":
      return Number.isFinite(value) ? String(value) : "null";
    case "string":
      return JSON.stringify(value);
    case "boolean":
      return value ? "true" : "false";
    case "object": {
      if (Array.isArray(value)) {
        // Long number arrays (a leader schedule: 432,000 slot indexes) go through the native path.
        if (value.every(isFiniteNumber)) return JSON.stringify(value);
        return `[${value.map((item) => stringifyJson(item)).join(",")}]`;
      }
      const parts: string[] = [];
      for (const [key, item] of Object.entries(value)) {
        if (item !== undefined) parts.push(`${JSON.stringify(key)}:${stringifyJson(item)}`);
      }
      return `{${parts.join(",")}}`;
    }
    default:
      return "null";
  }
}
