import {
  getBase64EncodedWireTransaction,
  getSignatureFromTransaction,
  getTransactionDecoder,
  type KeyPairSigner,
  partiallySignTransaction,
} from "@solana/kit";
import { OspreyError } from "../core/osprey-error.js";

export interface SignedSwap {
  /** Wire bytes, base64: stored before the first send and sent as-is. */
  readonly transaction: string;
  readonly signature: string;
}

/**
 * Adds the user's signature to the swap API's transaction (the pool already co-signed). The user
 * must be the fee payer, so a transaction built for someone else is never signed.
 */
export async function signSwap(signer: KeyPairSigner, bytes: Uint8Array): Promise<SignedSwap> {
  const transaction = getTransactionDecoder().decode(bytes);
  const [feePayer] = Object.keys(transaction.signatures);
  if (feePayer !== signer.address) {
    throw new OspreyError("API_ERROR", "The swap API built a transaction for another fee payer.", {
      feePayer: feePayer ?? null,
    });
  }
  const signed = await partiallySignTransaction([signer.keyPair], transaction);
  if (Object.values(signed.signatures).some((signature) => signature === null)) {
    throw new OspreyError("API_ERROR", "The swap transaction lacks a signature we cannot add.");
  }
  return {
    transaction: getBase64EncodedWireTransaction(signed),
    signature: getSignatureFromTransaction(signed),
  };
}
