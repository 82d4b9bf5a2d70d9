import {
  getBase64Encoder,
  getSignatureFromTransaction,
  getTransactionDecoder,
  type Signature,
} from "@solana/kit";
import { bytesToBase58 } from "../core/base58.js";
import { OspreyError } from "../core/index.js";
import { isUnsigned, readWireLayout } from "./wire-layout.js";

// kit builds a codec afresh on every get…Decoder() call; they are stateless, so build them once.
const base64 = getBase64Encoder();
const transactionDecoder = getTransactionDecoder();

/** The fee payer's signature of a signed transaction in wire bytes (base64): its id on chain. */
export function getWireSignature(wireTransactionBase64: string): Signature {
  try {
    const bytes = base64.encode(wireTransactionBase64);
    // Read in place when the shape allows; kit's decoder answers (or fails) for the rest.
    const layout = readWireLayout(bytes);
    if (layout !== undefined && !isUnsigned(bytes, 0)) {
      return bytesToBase58(bytes.subarray(1, 65)) as Signature;
    }
    return getSignatureFromTransaction(transactionDecoder.decode(bytes));
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
