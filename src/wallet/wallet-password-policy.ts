import { dictionary } from "@zxcvbn-ts/language-common";
import { OspreyError } from "../core/osprey-error.js";
import { assertIsWalletPassword } from "./derive-wallet-key.js";

/** The shortest password a key may be encrypted under (older wallets may have shorter ones). */
export const MIN_NEW_PASSWORD_LENGTH = 10;

/** Why a password is too weak to encrypt a key under. */
export type PasswordWeakness = "too_short" | "repetitive" | "common";

const MESSAGES: Record<PasswordWeakness, string> = {
  too_short: `The wallet password must be at least ${MIN_NEW_PASSWORD_LENGTH} characters.`,
  repetitive: "The wallet password repeats one or two characters; choose a varied one.",
  common: "The wallet password is a commonly used password; choose another.",
};

let commonPasswords: ReadonlySet<string> | undefined;

// ~49k ranked passwords from breaches (zxcvbn's list), built once, on the first password checked.
function getCommonPasswords(): ReadonlySet<string> {
  commonPasswords ??= new Set(
    dictionary["passwords-common"].map((password) => password.toLowerCase()),
  );
  return commonPasswords;
}

/**
 * Whether `password` is too weak for a new key, and why; null when it will do. Spaces at either
 * end add next to nothing, so they do not count, and the list is compared without case.
 */
export function getPasswordWeakness(password: string): PasswordWeakness | null {
  const characters = [...password.trim()];
  if (characters.length < MIN_NEW_PASSWORD_LENGTH) return "too_short";
  if (new Set(characters).size < 3) return "repetitive";
  if (getCommonPasswords().has(password.trim().toLowerCase())) return "common";
  return null;
}

/**
 * A password to encrypt a key under (create, import, a password change): within the length
 * bounds of `assertIsWalletPassword`, and not weak. Decryption accepts any bounded password, so
 * wallets made before this policy still open.
 */
export function assertIsNewWalletPassword(value: unknown): asserts value is string {
  assertIsWalletPassword(value);
  const weakness = getPasswordWeakness(value);
  if (weakness) {
    throw new OspreyError("WEAK_PASSWORD", MESSAGES[weakness], {
      reason: weakness,
      minLength: MIN_NEW_PASSWORD_LENGTH,
    });
  }
}
