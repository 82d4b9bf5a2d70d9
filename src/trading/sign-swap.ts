import {
  getBase64EncodedWireTransaction,
  getSignatureFromTransaction,
  getTransactionDecoder,
} from "@solana/kit";
import { isUnsigned, readWireLayout, sameBytes } from "../chain/wire-layout.js";
import { base58ToBytes, bytesToBase58 } from "../core/base58.js";
import { OspreyError } from "../core/osprey-error.js";
import type { SessionSigner } from "../wallet/session-signer.js";

export interface SignedSwap {
  /** Wire bytes, base64: stored before the first send and sent as-is. */
  readonly transaction: string;
  readonly signature: string;
}

const transactions = getTransactionDecoder();

/**
 * Adds the user's signature to the swap API's transaction (the pool already co-signed). The user
 * must be the fee payer, so a transaction built for someone else is never signed. Ed25519 signs
 * synchronously (`signNow`): no trip through the thread pool, whose answer would wait behind
 * everything else on a busy event loop.
 *
 * The usual shape is signed in place: kit's decoder would base58-encode every address of the
 * message to build its signature map, which cost more than the rest of the order's signing.
 * Any other shape goes through kit, with the same checks.
 */
export function signSwap(signer: SessionSigner, bytes: Uint8Array): SignedSwap {
  const layout = readWireLayout(bytes);
  if (layout === undefined) return signDecoded(signer, bytes);
  const ownKey = base58ToBytes(signer.address);
  if (ownKey === null || !sameBytes(bytes, layout.accounts, 0, 32, ownKey)) {
    throw wrongFeePayer(bytesToBase58(bytes.subarray(layout.accounts, layout.accounts + 32)));
  }
  for (let index = 1; index < layout.signatures; index++) {
    if (isUnsigned(bytes, index)) throw missingCoSignature();
  }
  const ours = signer.signNow(bytes.subarray(layout.message));
  const signed = Buffer.from(bytes);
  signed.set(ours, 1);
  return { transaction: signed.toString("base64"), signature: bytesToBase58(ours) };
}

/**
 * Signs Osprey's own transaction (Swap API v2) in the taker's slot only: every other signer slot
 * stays empty (none on mainnet; the sandbox's validator completes its pools' signatures). The
 * taker must be the fee payer.
 */
export function signTaker(signer: SessionSigner, bytes: Uint8Array): SignedSwap {
  const layout = readWireLayout(bytes);
  if (layout === undefined)
    throw new OspreyError("INTERNAL", "The assembled transaction has an unexpected layout.");
  const ownKey = base58ToBytes(signer.address);
  if (ownKey === null || !sameBytes(bytes, layout.accounts, 0, 32, ownKey)) {
    throw wrongFeePayer(bytesToBase58(bytes.subarray(layout.accounts, layout.accounts + 32)));
  }
  const ours = signer.signNow(bytes.subarray(layout.message));
  const signed = Buffer.from(bytes);
  signed.set(ours, 1);
  return { transaction: signed.toString("base64"), signature: bytesToBase58(ours) };
}

function signDecoded(signer: SessionSigner, bytes: Uint8Array): SignedSwap {
  const transaction = transactions.decode(bytes);
  const [feePayer, ...others] = Object.entries(transaction.signatures);
  if (feePayer?.[0] !== signer.address) throw wrongFeePayer(feePayer?.[0] ?? null);
  if (others.some(([, signature]) => signature === null)) throw missingCoSignature();
  const message = transaction.messageBytes as unknown as Uint8Array;
  const signed = {
    ...transaction,
    signatures: { ...transaction.signatures, [signer.address]: signer.signNow(message) },
  };
  return {
    transaction: getBase64EncodedWireTransaction(signed),
    signature: getSignatureFromTransaction(signed),
  };
}

function wrongFeePayer(feePayer: string | null): OspreyError {
  return new OspreyError("API_ERROR", "The swap API built a transaction for another fee payer.", {
    feePayer,
  });
}

function missingCoSignature(): OspreyError {
  return new OspreyError("API_ERROR", "The swap transaction lacks a signature we cannot add.");
}
