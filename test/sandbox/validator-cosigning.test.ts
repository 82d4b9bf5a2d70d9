import { KeyObject, sign } from "node:crypto";
import {
  type Address,
  appendTransactionMessageInstruction,
  type Blockhash,
  compileTransaction,
  createTransactionMessage,
  generateKeyPairSigner,
  getTransactionEncoder,
  type KeyPairSigner,
  partiallySignTransaction,
  pipe,
  setTransactionMessageFeePayer,
  setTransactionMessageLifetimeUsingBlockhash,
} from "@solana/kit";
import { getTransferSolInstruction } from "@solana-program/system";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Cosigner, createSandboxChain, type SandboxChain } from "../../src/sandbox/index.js";

// The chain's side of validator co-signing, with a cosigner of the test's own: the swap API's
// (the pool authority for an issued set) is tested end to end in test/sandbox-market.
let chain: SandboxChain;
beforeEach(() => {
  chain = createSandboxChain({ manualClock: true });
});
afterEach(() => chain.close());

/** A transfer out of `from` (a second signer), paid for and signed by `payer` only. */
async function transferSignedByPayerOnly(
  payer: KeyPairSigner,
  from: KeyPairSigner,
  lamports: bigint,
) {
  const { blockhash, blockHeight } = chain.getBlock(chain.getSlot("processed"));
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayer(payer.address, m),
    (m) =>
      setTransactionMessageLifetimeUsingBlockhash(
        { blockhash: blockhash as Blockhash, lastValidBlockHeight: blockHeight + 150n },
        m,
      ),
    (m) =>
      appendTransactionMessageInstruction(
        getTransferSolInstruction({ source: from, destination: payer.address, amount: lamports }),
        m,
      ),
  );
  const signed = await partiallySignTransaction([payer.keyPair], compileTransaction(message));
  return new Uint8Array(getTransactionEncoder().encode(signed));
}

function cosignerFor(signer: KeyPairSigner, calls: { count: number }): Cosigner {
  const key = KeyObject.from(signer.keyPair.privateKey);
  return (tx, empty) => {
    calls.count += 1;
    if (!empty.has(signer.address)) return null;
    return new Map([[signer.address, new Uint8Array(sign(null, tx.messageBytes, key))]]);
  };
}

describe("validator co-signing", () => {
  it("fills an empty signer slot where a cosigner agrees; the message and the payer's signature stay", async () => {
    const payer = await generateKeyPairSigner();
    const pool = await generateKeyPairSigner();
    chain.airdrop(payer.address, 1_000_000_000n);
    chain.airdrop(pool.address, 1_000_000_000n);
    const wire = await transferSignedByPayerOnly(payer, pool, 5_000_000n);
    // No cosigner: the same bytes back, and the transaction fails signature verification.
    expect(chain.completeSignatures(wire)).toBe(wire);
    expect(chain.sendTransaction(wire)).toMatchObject({ landed: false, err: "SignatureFailure" });

    const calls = { count: 0 };
    const remove = chain.addCosigner(cosignerFor(pool, calls));
    const completed = chain.completeSignatures(wire);
    expect(completed).not.toBe(wire);
    const before = chain.decodeTransaction(wire);
    const after = chain.decodeTransaction(completed);
    expect(after.messageBytes).toEqual(before.messageBytes);
    expect(after.signature).toBe(before.signature);
    expect(after.signatureBytes[1]?.some((byte) => byte !== 0)).toBe(true);
    expect(chain.verifySignatures(after)).toBe(true);

    // The same message again: the remembered signatures, the cosigner is not asked twice.
    expect(chain.completeSignatures(wire)).toEqual(completed);
    expect(calls.count).toBe(1);
    // A complete transaction is handed back untouched, without decoding.
    expect(chain.completeSignatures(completed)).toBe(completed);

    const landed = chain.sendTransaction(wire);
    expect(landed).toMatchObject({ landed: true, err: null });
    expect(chain.sendTransaction(wire)).toMatchObject({ landed: false, err: "AlreadyProcessed" });

    // Removed: a new message is left as it came.
    remove();
    const next = await transferSignedByPayerOnly(payer, pool, 1_000_000n);
    expect(chain.completeSignatures(next)).toBe(next);
    expect(calls.count).toBe(1);
  });

  it("leaves the transaction alone when the cosigner declines or the empty slot is another signer's", async () => {
    const payer = await generateKeyPairSigner();
    const pool = await generateKeyPairSigner();
    const stranger = await generateKeyPairSigner();
    chain.airdrop(payer.address, 1_000_000_000n);
    chain.airdrop(stranger.address, 1_000_000_000n);
    const calls = { count: 0 };
    chain.addCosigner(cosignerFor(pool, calls));
    const wire = await transferSignedByPayerOnly(payer, stranger, 5_000_000n);
    expect(chain.completeSignatures(wire)).toBe(wire);
    expect(calls.count).toBe(1);
    // A refusal is not remembered (a set issued later may match): the send asks again.
    expect(chain.sendTransaction(wire)).toMatchObject({ landed: false, err: "SignatureFailure" });
    expect(calls.count).toBe(2);
    // Not a transaction at all: handed back for the caller's own decoding error.
    const garbage = new Uint8Array([1, ...new Uint8Array(64), 7]);
    expect(chain.completeSignatures(garbage)).toBe(garbage);
    expect(calls.count).toBe(2);
    expect((stranger.address as Address).length).toBeGreaterThan(0);
  });
});
