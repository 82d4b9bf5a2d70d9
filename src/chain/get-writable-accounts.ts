import {
  type Address,
  getBase64Encoder,
  getCompiledTransactionMessageDecoder,
  getTransactionDecoder,
} from "@solana/kit";

// kit builds a codec afresh on every get…Decoder() call; they are stateless, so build them once.
const base64 = getBase64Encoder();
const transactionDecoder = getTransactionDecoder();
const messageDecoder = getCompiledTransactionMessageDecoder();

/**
 * The writable accounts named in a transaction's static keys (wire bytes, base64): the ones whose
 * locks set the priority fee. Accounts loaded from lookup tables are not resolved here.
 */
export function getWritableAccounts(wireTransactionBase64: string): Address[] {
  const transaction = transactionDecoder.decode(base64.encode(wireTransactionBase64));
  const message = messageDecoder.decode(transaction.messageBytes);
  const { numSignerAccounts, numReadonlySignerAccounts, numReadonlyNonSignerAccounts } =
    message.header;
  const keys = message.staticAccounts;
  return keys.filter((_, index) =>
    index < numSignerAccounts
      ? index < numSignerAccounts - numReadonlySignerAccounts
      : index < keys.length - numReadonlyNonSignerAccounts,
  );
}
