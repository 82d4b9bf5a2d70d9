import { type Address, generateKeyPairSigner, getProgramDerivedAddress } from "@solana/kit";
import * as t22 from "@solana-program/token-2022";
import { describe, expect, it } from "vitest";
import { addressToBytes } from "../../src/sandbox/encoding/base58.js";
import { TOKEN_2022_PROGRAM, TOKEN_PROGRAM } from "../../src/sandbox/index.js";
import { getAssociatedTokenAddress } from "../../src/sandbox/market/create-token.js";
import { findProgramAddress } from "../../src/sandbox/market/program-address.js";

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
});
