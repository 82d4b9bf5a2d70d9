/**
 * Idempotency keys that Osprey's own front ends make, which a client's order may not take:
 * a standing order's firing (`trigger:<id>:<n>`, src/automation) and a chat button's press
 * (`tg:<chat>:<message>:<button>`, src/telegram).
 */
export const RESERVED_ORDER_KEYS = {
  "trigger:": "standing orders",
  "tg:": "the Telegram bot",
} as const;

/** The reserved prefix a key starts with, if any. */
export function getReservedKeyPrefix(key: string): keyof typeof RESERVED_ORDER_KEYS | null {
  for (const prefix of Object.keys(RESERVED_ORDER_KEYS) as (keyof typeof RESERVED_ORDER_KEYS)[])
    if (key.startsWith(prefix)) return prefix;
  return null;
}
