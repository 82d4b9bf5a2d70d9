import { randomBytes } from "node:crypto";
import {
  type Address,
  generateKeyPairSigner,
  getAddressDecoder,
  getProgramDerivedAddress,
  isOffCurveAddress,
} from "@solana/kit";
import * as t22 from "@solana-program/token-2022";
import { describe, expect, it } from "vitest";
import { addressToBytes } from "../../src/sandbox/encoding/base58.js";
import { TOKEN_2022_PROGRAM, TOKEN_PROGRAM } from "../../src/sandbox/index.js";
import { getAssociatedTokenAddress } from "../../src/sandbox/market/create-token.js";
import { findProgramAddress, isOnCurve } from "../../src/sandbox/market/program-address.js";

const randomAddress = async () => (await generateKeyPairSigner()).address;

describe("program derived addresses", () => {
  it("match kit's derivation, bump included", async () => {
    for (let i = 0; i < 20; i++) {
      const [owner, mint] = await Promise.all([randomAddress(), randomAddress()]);
      for (const tokenProgram of [TOKEN_PROGRAM, TOKEN_2022_PROGRAM]) {
        const expected = await t22.findAssociatedTokenPda({ owner, mint, tokenProgram });
        const seeds = [owner, tokenProgram, mint].map((a) => addressToBytes(a) as Uint8Array);
        expect(findProgramAddress(t22.ASSOCIATED_TOKEN_PROGRAM_ADDRESS, seeds)).toEqual([
          expected[0],
          expected[1],
        ]);
        // Twice: the second answer comes from memory.
        for (let n = 0; n < 2; n++)
          expect(await getAssociatedTokenAddress(owner, mint, tokenProgram)).toBe(expected[0]);
      }
    }
    const program = (await randomAddress()) as Address;
    const seeds = [new TextEncoder().encode("extra-account-metas"), new Uint8Array([1, 2, 3])];
    const [address, bump] = await getProgramDerivedAddress({ programAddress: program, seeds });
    expect(findProgramAddress(program, seeds)).toEqual([address, bump]);
  });

  it("tell curve points from other bytes exactly as kit does", () => {
    const pMinusOne = (2n ** 255n - 20n).toString(16).padStart(64, "0");
    const littleEndian = (hex: string) => Uint8Array.from(Buffer.from(hex, "hex").reverse());
    const withSign = (bytes: Uint8Array) => {
      const copy = Uint8Array.from(bytes);
      copy[31] = (copy[31] ?? 0) | 0x80;
      return copy;
    };
    const one = new Uint8Array(32);
    one[0] = 1;
    // y = ±1 gives x = 0, which must not carry the sign bit; the rest is random.
    const cases = [one, withSign(one), littleEndian(pMinusOne), withSign(littleEndian(pMinusOne))];
    cases.push(new Uint8Array(32), new Uint8Array(32).fill(0xff));
    for (let i = 0; i < 500; i++) cases.push(new Uint8Array(randomBytes(32)));
    const decoder = getAddressDecoder();
    for (const bytes of cases)
      expect(isOnCurve(bytes)).toBe(!isOffCurveAddress(decoder.decode(bytes)));
  });
});
