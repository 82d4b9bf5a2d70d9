import {
  getBase64Encoder,
  getSignatureFromTransaction,
  getTransactionDecoder,
  type Signature,
} from "@solana/kit";
import { OspreyError } from "../core/index.js";

// kit builds a codec afresh on every get…Decoder() call; they are stateless, so build them once.
const base64 = getBase64Encoder();
const transactionDecoder = getTransactionDecoder();

/** The fee payer's signature of a signed transaction in wire bytes (base64): its id on chain. */
export function getWireSignature(wireTransactionBase64: string): Signature {
  try {
    const transaction = transactionDecoder.decode(base64.encode(wireTransactionBase64));
    return getSignatureFromTransaction(transaction);
  } catch (error) {
    throw new OspreyError(
      "INVALID_INPUT",
      "Not a signed transaction in base64 wire format",
      {},
      {
        cause: error,
      },
    );
  }
}
