import { createHash, randomBytes } from "node:crypto";

/**
 * A random bearer secret with a readable prefix, e.g. `osa_…` (access), `osk_…` (API key),
 * `otl_…` / `otw_…` (Telegram link code / web link): 47 characters of [A-Za-z0-9_-], which a
 * Telegram deep link's `start` parameter (at most 64 of them) carries as it is.
 */
export function createSecretToken(
  prefix: "osa" | "osk" | "otl" | "otw",
  bytes: (n: number) => Uint8Array = randomBytes,
): string {
  return `${prefix}_${Buffer.from(bytes(32)).toString("base64url")}`;
}

/** Tokens are stored only as this hash; 256 random bits need no salt or slow hash. */
export function hashSecretToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}
