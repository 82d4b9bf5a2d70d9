import { createHash, randomBytes } from "node:crypto";

/** A random bearer secret with a readable prefix, e.g. `osa_…` (access) or `osk_…` (API key). */
export function createSecretToken(
  prefix: "osa" | "osk",
  bytes: (n: number) => Uint8Array = randomBytes,
): string {
  return `${prefix}_${Buffer.from(bytes(32)).toString("base64url")}`;
}

/** Tokens are stored only as this hash; 256 random bits need no salt or slow hash. */
export function hashSecretToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}
