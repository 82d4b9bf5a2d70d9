import { describe, expect, it } from "vitest";
import { isOspreyError } from "../../src/core/osprey-error.js";
import {
  assertIsNewWalletPassword,
  assertIsWalletPassword,
  getPasswordWeakness,
} from "../../src/wallet/index.js";

function codeOf(check: () => void): string | null {
  try {
    check();
    return null;
  } catch (error) {
    return isOspreyError(error) ? error.code : String(error);
  }
}

describe("wallet password policy", () => {
  it("names why a password is weak", () => {
    expect(getPasswordWeakness(" ")).toBe("too_short");
    expect(getPasswordWeakness("x")).toBe("too_short");
    expect(getPasswordWeakness("123456789")).toBe("too_short");
    expect(getPasswordWeakness("   nine char   ")).toBe("too_short");
    expect(getPasswordWeakness("          ")).toBe("too_short");
    expect(getPasswordWeakness("aaaaaaaaaaaa")).toBe("repetitive");
    expect(getPasswordWeakness("121212121212")).toBe("repetitive");
    expect(getPasswordWeakness("password1234")).toBe("common");
    expect(getPasswordWeakness("PASSWORD1234")).toBe("common");
    expect(getPasswordWeakness("1234567890")).toBe("common");
    expect(getPasswordWeakness(" qwertyuiop ")).toBe("common");
    expect(getPasswordWeakness("wallet password")).toBeNull();
    expect(getPasswordWeakness("ten chars!")).toBeNull();
    // Characters, not UTF-16 units: ten emoji are ten characters.
    expect(getPasswordWeakness("🦅🐟🌊🦅🐟🌊🦅🐟🌊🦅")).toBeNull();
    expect(getPasswordWeakness("🦅🐟🌊🦅🐟")).toBe("too_short");
  });

  it("refuses weak new passwords, while any bounded password may still decrypt", () => {
    expect(codeOf(() => assertIsNewWalletPassword("x"))).toBe("WEAK_PASSWORD");
    expect(codeOf(() => assertIsNewWalletPassword("password1234"))).toBe("WEAK_PASSWORD");
    expect(codeOf(() => assertIsNewWalletPassword(""))).toBe("INVALID_PASSWORD");
    expect(codeOf(() => assertIsNewWalletPassword("x".repeat(257)))).toBe("INVALID_PASSWORD");
    expect(codeOf(() => assertIsNewWalletPassword(42))).toBe("INVALID_PASSWORD");
    expect(codeOf(() => assertIsNewWalletPassword("correct horse battery"))).toBeNull();
    expect(codeOf(() => assertIsWalletPassword("x"))).toBeNull();
    expect(codeOf(() => assertIsWalletPassword("password1234"))).toBeNull();
  });
});
