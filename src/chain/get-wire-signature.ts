import {
  getBase58Decoder,
  getBase64Encoder,
  getSignatureFromTransaction,
  getTransactionDecoder,
  type ReadonlyUint8Array,
  type Signature,
} from "@solana/kit";
import { OspreyError } from "../core/index.js";

// kit builds a codec afresh on every get…Decoder() call; they are stateless, so build them once.
const base64 = getBase64Encoder();
const base58 = getBase58Decoder();
const transactionDecoder = getTransactionDecoder();

/** The fee payer's signature of a signed transaction in wire bytes (base64): its id on chain. */
export function getWireSignature(wireTransactionBase64: string): Signature {
  try {
    const bytes = base64.encode(wireTransactionBase64);
    const fast = readFeePayerSignature(bytes);
    if (fast !== undefined) return base58.decode(fast) as Signature;
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

/**
 * The fee payer's signature bytes of a legacy or v0 transaction whose shape kit's decoder would
 * accept, read in place: kit's decoder base58-encodes every signer's address to find it. Undefined
 * for anything else (other versions, long counts, an unsigned or odd transaction), which then goes
 * through kit's decoder for its answer or its error.
 */
function readFeePayerSignature(bytes: ReadonlyUint8Array): ReadonlyUint8Array | undefined {
  const signatures = bytes[0] ?? 0;
  if (signatures === 0 || signatures >= 0x80) return undefined; // one-byte shortvec only
  const message = 1 + 64 * signatures;
  const first = bytes[message];
  if (first === undefined || (first >= 0x80 && first !== 0x80)) return undefined; // legacy or v0
  const header = first === 0x80 ? message + 1 : message;
  const requiredSignatures = bytes[header];
  const staticAccounts = bytes[header + 3];
  if (requiredSignatures === undefined || staticAccounts === undefined || staticAccounts >= 0x80)
    return undefined;
  const accounts = header + 4;
  if (accounts + 32 * staticAccounts > bytes.length) return undefined;
  if (Math.min(requiredSignatures, staticAccounts) !== signatures) return undefined;
  // Kit maps signatures by signer address: a repeated fee payer address would remap the first.
  for (let signer = 1; signer < signatures; signer++) {
    if (sameBytes(bytes, accounts, accounts + 32 * signer, 32)) return undefined;
  }
  const signature = bytes.subarray(1, 65);
  return signature.some((byte) => byte !== 0) ? signature : undefined;
}

function sameBytes(bytes: ReadonlyUint8Array, a: number, b: number, length: number): boolean {
  for (let i = 0; i < length; i++) if (bytes[a + i] !== bytes[b + i]) return false;
  return true;
}
