import { getBase58Decoder, getBase58Encoder } from "@solana/kit";
import { describe, expect, it } from "vitest";
import { isAddress, isSignature } from "../../src/core/addresses.js";
import { base58ToBytes, bytesToBase58 } from "../../src/core/base58.js";
import { createSeededRandom } from "../chain/fake-clock.js";

/** kit's codec: the oracle. */
const kitText = (bytes: Uint8Array) => getBase58Decoder().decode(bytes);
function kitBytes(text: string): Uint8Array | null {
  try {
    return new Uint8Array(getBase58Encoder().encode(text));
  } catch {
    return null;
  }
}

describe("base58", () => {
  it("encodes and decodes as kit does, leading zeroes included", () => {
    const random = createSeededRandom(3);
    for (let n = 0; n < 2_000; n++) {
      const length = [0, 1, 31, 32, 33, 64][n % 6] as number;
      const bytes = Uint8Array.from({ length }, () => Math.floor(random() * 256));
      // Leading zero bytes are written as leading "1"s.
      for (let i = 0; i < length && random() < 0.3; i++) bytes[i] = 0;
      const text = kitText(bytes);
      expect(bytesToBase58(bytes)).toBe(text);
      expect(base58ToBytes(text)).toEqual(bytes);
    }
  });

  it("refuses what is not base58, as kit does", () => {
    for (const text of ["0", "O", "I", "l", "abc+", "é", "1 1", "\u{1F600}", "A".repeat(3)]) {
      expect(base58ToBytes(text) === null, text).toBe(kitBytes(text) === null);
    }
    expect(base58ToBytes("0")).toBeNull();
    expect(Array.from(base58ToBytes("11") ?? [])).toEqual([0, 0]);
  });

  it("decides addresses and signatures by their decoded length", () => {
    const key = bytesToBase58(new Uint8Array(32).fill(7));
    expect(isAddress(key)).toBe(true);
    expect(isAddress(bytesToBase58(new Uint8Array(31).fill(7)))).toBe(false);
    expect(isAddress(`${key.slice(0, -1)}0`)).toBe(false);
    expect(isAddress("1".repeat(32))).toBe(true); // the system program: 32 zero bytes
    expect(isSignature(bytesToBase58(new Uint8Array(64).fill(255)))).toBe(true);
    expect(isSignature(key)).toBe(false);
  });
});
