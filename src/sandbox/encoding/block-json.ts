import type { BlockRecord } from "../chain/block-store.js";
import {
  encodeTransactionAccounts,
  encodeTransactionWithMeta,
  type TransactionEncoding,
} from "./transaction-json.js";

export type TransactionDetails = "full" | "accounts" | "signatures" | "none";

/** What a block encoding needs from a sealed block: all but its slot (the caller knows it). */
export type EncodableBlock = Omit<BlockRecord, "slot">;

export interface BlockEncodeOptions {
  encoding: TransactionEncoding;
  transactionDetails: TransactionDetails;
  showRewards: boolean;
  withVersion: boolean;
}

function encodeTransactions(block: EncodableBlock, options: BlockEncodeOptions) {
  const { transactions } = block;
  switch (options.transactionDetails) {
    case "full":
      return {
        transactions: transactions.map((record) =>
          encodeTransactionWithMeta(record, options.encoding, options),
        ),
      };
    case "accounts":
      return {
        transactions: transactions.map((record) => encodeTransactionAccounts(record, options)),
      };
    case "signatures":
      return { signatures: transactions.map((record) => record.signature) };
    case "none":
      return {};
    default:
      return options.transactionDetails satisfies never;
  }
}

/** getBlock's result (agave's UiConfirmedBlock); the sandbox pays no rewards, so they are empty. */
export function encodeBlock(block: EncodableBlock, options: BlockEncodeOptions) {
  return {
    previousBlockhash: block.previousBlockhash,
    blockhash: block.blockhash,
    parentSlot: block.parentSlot,
    ...encodeTransactions(block, options),
    ...(options.showRewards ? { rewards: [] } : {}),
    blockTime: block.blockTime,
    blockHeight: block.blockHeight,
  };
}
