import { KeyObject, sign } from "node:crypto";
import {
  getBase64EncodedWireTransaction,
  getSignatureFromTransaction,
  getTransactionDecoder,
  type KeyPairSigner,
  type SignatureBytes,
} from "@solana/kit";
import { OspreyError } from "../core/osprey-error.js";

export interface SignedSwap {
  /** Wire bytes, base64: stored before the first send and sent as-is. */
  readonly transaction: string;
  readonly signature: string;
}

const transactions = getTransactionDecoder();

/**
 * Adds the user's signature to the swap API's transaction (the pool already co-signed). The user
 * must be the fee payer, so a transaction built for someone else is never signed. Ed25519 signs
 * synchronously through the session key's KeyObject: no trip through the thread pool, whose
 * answer would wait behind everything else on a busy event loop.
 */
export function signSwap(signer: KeyPairSigner, bytes: Uint8Array): SignedSwap {
  const transaction = transactions.decode(bytes);
  const [feePayer, ...others] = Object.entries(transaction.signatures);
  if (feePayer?.[0] !== signer.address) {
    throw new OspreyError("API_ERROR", "The swap API built a transaction for another fee payer.", {
      feePayer: feePayer?.[0] ?? null,
    });
  }
  if (others.some(([, signature]) => signature === null)) {
    throw new OspreyError("API_ERROR", "The swap transaction lacks a signature we cannot add.");
  }
  const key = KeyObject.from(signer.keyPair.privateKey);
  const message = transaction.messageBytes as unknown as Uint8Array;
  const ours = new Uint8Array(sign(null, message, key)) as SignatureBytes;
  const signed = {
    ...transaction,
    signatures: { ...transaction.signatures, [signer.address]: ours },
  };
  return {
    transaction: getBase64EncodedWireTransaction(signed),
    signature: getSignatureFromTransaction(signed),
  };
}
