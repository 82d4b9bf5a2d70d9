import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "X-Osprey-Signature";

/** `t=<unix s>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`: the timestamp is signed too. */
export function signWebhook(secret: string, unixSeconds: number, body: string): string {
  const mac = createHmac("sha256", secret).update(`${unixSeconds}.${body}`).digest("hex");
  return `t=${unixSeconds},v1=${mac}`;
}

/** What a receiver does: true when the header signs this raw body under the secret. */
export function verifyWebhookSignature(secret: string, header: string, body: string): boolean {
  const parts = new Map(
    header.split(",").map((part) => part.split("=", 2) as [string, string | undefined]),
  );
  const t = Number(parts.get("t"));
  const v1 = parts.get("v1");
  if (!Number.isSafeInteger(t) || !v1) return false;
  const expected = Buffer.from(signWebhook(secret, t, body).split("v1=")[1] ?? "", "hex");
  const given = Buffer.from(v1, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
