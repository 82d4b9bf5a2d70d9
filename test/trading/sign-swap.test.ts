import {
  appendTransactionMessageInstruction,
  blockhash,
  compileTransaction,
  createKeyPairSignerFromBytes,
  createTransactionMessage,
  generateKeyPairSigner,
  getBase64EncodedWireTransaction,
  getBase64Encoder,
  getSignatureFromTransaction,
  getTransactionDecoder,
  getTransactionEncoder,
  type KeyPairSigner,
  partiallySignTransaction,
  pipe,
  setTransactionMessageFeePayer,
  setTransactionMessageLifetimeUsingBlockhash,
} from "@solana/kit";
import { getTransferSolInstruction } from "@solana-program/system";
import { describe, expect, it } from "vitest";
import { isOspreyError } from "../../src/core/osprey-error.js";
import { signSwap } from "../../src/trading/sign-swap.js";
import { createSessionSigner, createWalletKeypair } from "../../src/wallet/index.js";
import type { SessionSigner } from "../../src/wallet/session-signer.js";
import { createSeededRandom } from "../chain/fake-clock.js";
import { damagedCopies } from "../support/damaged-copies.js";

/** One wallet key as kit's signer (to build and to check against) and as Osprey's session signer. */
async function userSigners(): Promise<{ kit: KeyPairSigner; session: SessionSigner }> {
  const { publicKey, secretKey } = createWalletKeypair();
  const kit = await createKeyPairSignerFromBytes(secretKey);
  const session = createSessionSigner({
    sessionId: "s",
    userId: "u",
    walletId: "w",
    publicKey,
    secretKey: secretKey.slice(),
    expiresAt: 0,
    absoluteExpiresAt: 0,
  });
  return { kit, session };
}

const LIFETIME = {
  blockhash: blockhash("4Nd1mBQtrMJVYVfKf2PJy9NZUZdTAsp7D4xWLs4gDB4T"),
  lastValidBlockHeight: 5n,
};

/** kit's own signing of the same bytes, with the same checks: the test's oracle. */
async function kitSigned(user: KeyPairSigner, bytes: Uint8Array): Promise<string> {
  let transaction: ReturnType<ReturnType<typeof getTransactionDecoder>["decode"]>;
  try {
    transaction = getTransactionDecoder().decode(bytes);
  } catch {
    return "undecodable";
  }
  const [feePayer, ...others] = Object.entries(transaction.signatures);
  if (feePayer?.[0] !== user.address) return `API_ERROR: fee payer ${feePayer?.[0] ?? null}`;
  if (others.some(([, signature]) => signature === null)) return "API_ERROR: co-signature";
  const signed = await partiallySignTransaction([user.keyPair], transaction);
  return `${getBase64EncodedWireTransaction(signed)} ${getSignatureFromTransaction(signed)}`;
}

function ours(user: SessionSigner, bytes: Uint8Array): string {
  try {
    const { transaction, signature } = signSwap(user, bytes);
    return `${transaction} ${signature}`;
  } catch (error) {
    if (!isOspreyError(error, "API_ERROR")) return "undecodable";
    return error.message.includes("fee payer")
      ? `API_ERROR: fee payer ${error.context.feePayer ?? null}`
      : "API_ERROR: co-signature";
  }
}

/** A swap-like transaction: `payer` pays the fee, `pool` moves funds and co-signs. */
async function swapLike(version: "legacy" | 0, payer: KeyPairSigner, pool: KeyPairSigner) {
  const message = pipe(
    createTransactionMessage({ version }),
    (m) => setTransactionMessageFeePayer(payer.address, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash(LIFETIME, m),
    (m) =>
      appendTransactionMessageInstruction(
        getTransferSolInstruction({ source: pool, destination: payer.address, amount: 5n }),
        m,
      ),
  );
  const compiled = compileTransaction(message);
  return {
    unsigned: new Uint8Array(getTransactionEncoder().encode(compiled)),
    coSigned: new Uint8Array(
      getTransactionEncoder().encode(await partiallySignTransaction([pool.keyPair], compiled)),
    ),
  };
}

describe("signSwap", () => {
  it("signs exactly as kit does, and refuses what kit's checks refuse, whatever the bytes", async () => {
    const { kit: user, session } = await userSigners();
    const [pool, stranger] = await Promise.all([generateKeyPairSigner(), generateKeyPairSigner()]);
    const inputs: Uint8Array[] = [];
    for (const version of ["legacy", 0] as const) {
      for (const payer of [user, stranger]) {
        const { unsigned, coSigned } = await swapLike(version, payer, pool);
        inputs.push(unsigned, coSigned);
      }
      // The user pays and is also the only signer.
      inputs.push((await swapLike(version, user, user)).unsigned);
      // The co-signer's address repeats the fee payer's: kit maps both signatures to one key.
      const repeated = (await swapLike(version, user, pool)).coSigned;
      // Two signatures, then [v0 prefix], three header bytes and the account count.
      const accounts = 1 + 64 * 2 + (version === 0 ? 1 : 0) + 4;
      repeated.copyWithin(accounts + 32, accounts, accounts + 32);
      inputs.push(repeated);
    }
    const mutated = damagedCopies(inputs, 120, createSeededRandom(11));
    const kinds = new Set<string>();
    for (const bytes of [...inputs, ...mutated, new Uint8Array(), new Uint8Array([1])]) {
      const expected = await kitSigned(user, bytes);
      expect(ours(session, bytes)).toBe(expected);
      kinds.add(
        expected.startsWith("API_ERROR")
          ? expected.slice(0, 14)
          : expected.split(" ").length === 2
            ? "signed"
            : expected,
      );
    }
    expect(kinds).toEqual(new Set(["signed", "undecodable", "API_ERROR: fee", "API_ERROR: co-"]));
  });

  it("leaves the swap API's bytes untouched", async () => {
    const [{ kit: user, session }, pool] = await Promise.all([
      userSigners(),
      generateKeyPairSigner(),
    ]);
    const { coSigned } = await swapLike(0, user, pool);
    const before = coSigned.slice();
    const { transaction } = signSwap(session, coSigned);
    expect(coSigned).toEqual(before);
    const after = new Uint8Array(getBase64Encoder().encode(transaction));
    expect(after.subarray(65)).toEqual(before.subarray(65));
    expect(after.subarray(1, 65)).not.toEqual(before.subarray(1, 65));
  });
});
