import { deriveBoxKey, type KeyBox, openKeyBox, sealKeyBox } from "../../wallet/key-box.js";
import { type RandomBytes, wipe } from "../../wallet/random-bytes.js";
import type { GrantLimits } from "./grant-types.js";

/** Everything a grant's key box is bound to: editing any of it in the store makes it unopenable. */
export interface GrantBinding extends GrantLimits {
  readonly grantId: string;
  readonly userId: string;
  readonly walletId: string;
  readonly publicKey: string;
}

const VERSION = "osprey/automation-grant/v1";

// One key per grant from the operator's key; the grant id in `info` keeps grants' keys apart.
function deriveGrantBoxKey(automationKey: Buffer, grantId: string): Buffer {
  return deriveBoxKey(automationKey, "osprey/automation", `${VERSION}\n${grantId}`);
}

function getAad(binding: GrantBinding): Buffer {
  const orderTypes = [...binding.orderTypes].sort().join(",");
  return Buffer.from(
    [
      VERSION,
      binding.grantId,
      binding.userId,
      binding.walletId,
      binding.publicKey,
      binding.maxOrderLamports.toString(),
      binding.maxDailyLamports.toString(),
      orderTypes,
      String(binding.expiresAt),
    ].join("\n"),
  );
}

/** The wallet key re-encrypted under the automation key, as the JSON text stored on the grant. */
export function sealGrantKey(
  binding: GrantBinding,
  automationKey: Buffer,
  secretKey: Uint8Array,
  random: RandomBytes,
): string {
  const key = deriveGrantBoxKey(automationKey, binding.grantId);
  try {
    return JSON.stringify(sealKeyBox(key, getAad(binding), secretKey, random));
  } finally {
    wipe(key);
  }
}

function parseBox(text: string): KeyBox | null {
  try {
    const value = JSON.parse(text) as Partial<KeyBox> | null;
    if (typeof value?.nonce !== "string" || typeof value.sealed !== "string") return null;
    return { nonce: value.nonce, sealed: value.sealed };
  } catch {
    return null;
  }
}

/** The wallet key, or null when the automation key, the binding or the box is not the sealed one. */
export function openGrantKey(
  binding: GrantBinding,
  automationKey: Buffer,
  sealedKey: string,
): Uint8Array | null {
  const box = parseBox(sealedKey);
  if (!box) return null;
  const key = deriveGrantBoxKey(automationKey, binding.grantId);
  try {
    return openKeyBox(key, getAad(binding), box);
  } finally {
    wipe(key);
  }
}
