import {
  appendTransactionMessageInstruction,
  blockhash,
  compileTransaction,
  createTransactionMessage,
  generateKeyPairSigner,
  getBase64Decoder,
  getBase64EncodedWireTransaction,
  getBase64Encoder,
  getSignatureFromTransaction,
  getTransactionDecoder,
  type KeyPairSigner,
  partiallySignTransaction,
  pipe,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
} from "@solana/kit";
import { getTransferSolInstruction } from "@solana-program/system";
import { describe, expect, it } from "vitest";
import { getWireSignature } from "../../src/chain/get-wire-signature.js";
import { isOspreyError } from "../../src/core/osprey-error.js";
import { damagedCopies } from "../support/damaged-copies.js";
import { createSeededRandom } from "./fake-clock.js";

const LIFETIME = {
  blockhash: blockhash("4Nd1mBQtrMJVYVfKf2PJy9NZUZdTAsp7D4xWLs4gDB4T"),
  lastValidBlockHeight: 5n,
};

/** kit's own answer: the signature, or "error" when kit cannot read one. */
function kitSignature(wire: string): string {
  try {
    const bytes = getBase64Encoder().encode(wire);
    return getSignatureFromTransaction(getTransactionDecoder().decode(bytes));
  } catch {
    return "error";
  }
}

function ours(wire: string): string {
  try {
    return getWireSignature(wire);
  } catch (error) {
    expect(isOspreyError(error, "INVALID_INPUT")).toBe(true);
    return "error";
  }
}

function message(version: "legacy" | 0, payer: KeyPairSigner, from: KeyPairSigner) {
  return pipe(
    createTransactionMessage({ version }),
    (m) => setTransactionMessageFeePayerSigner(payer, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash(LIFETIME, m),
    (m) =>
      appendTransactionMessageInstruction(
        getTransferSolInstruction({ source: from, destination: payer.address, amount: 5n }),
        m,
      ),
  );
}

describe("wire signature", () => {
  it("reads the fee payer's signature as kit does, whatever the bytes", async () => {
    const [payer, other] = [await generateKeyPairSigner(), await generateKeyPairSigner()];
    const wires: string[] = [];
    for (const version of ["legacy", 0] as const) {
      for (const from of [payer, other]) {
        const msg = message(version, payer, from);
        wires.push(getBase64EncodedWireTransaction(await signTransactionMessageWithSigners(msg)));
        const compiled = compileTransaction(msg);
        wires.push(getBase64EncodedWireTransaction(compiled)); // unsigned
        if (from !== payer) {
          // Only the second signer has signed: the fee payer's signature is missing.
          const half = await partiallySignTransaction([other.keyPair], compiled);
          wires.push(getBase64EncodedWireTransaction(half));
        }
      }
    }
    const b64 = getBase64Decoder();
    const mutated = damagedCopies(
      wires.map((wire) => new Uint8Array(getBase64Encoder().encode(wire))),
      150,
      createSeededRandom(7),
    ).map((copy) => b64.decode(copy));
    const answers = new Set<string>();
    for (const wire of [...wires, ...mutated, "", "not base64!", "AAAA"]) {
      const expected = kitSignature(wire);
      expect(ours(wire), wire).toBe(expected);
      answers.add(expected === "error" ? "error" : "signature");
    }
    expect(answers).toEqual(new Set(["error", "signature"]));
  });
});
