import type { TransactionRecord } from "../chain/transaction-store.js";
import { bytesToBase58 } from "./base58.js";
import { parseInstruction } from "./parsed-instructions.js";

export type TransactionEncoding = "json" | "jsonParsed" | "base64" | "base58";

function compiledInstruction(
  ix: { programIdIndex: number; accounts: number[]; data: Uint8Array },
  stackHeight: number | null,
) {
  return {
    programIdIndex: ix.programIdIndex,
    accounts: ix.accounts,
    data: bytesToBase58(ix.data),
    stackHeight,
  };
}

function encodeMessage(record: TransactionRecord, parsed: boolean) {
  const tx = record.transaction;
  const staticCount = tx.staticAccounts.length;
  const header = tx.header;
  const lookups = tx.version === 0 ? { addressTableLookups: tx.addressTableLookups } : {};
  if (!parsed) {
    return {
      accountKeys: tx.staticAccounts,
      header,
      recentBlockhash: tx.recentBlockhash,
      instructions: tx.instructions.map((ix) => compiledInstruction(ix, null)),
      ...lookups,
    };
  }
  return {
    accountKeys: tx.accountKeys.map((pubkey, i) => ({
      pubkey,
      writable: tx.isWritable[i] ?? false,
      signer: i < header.numRequiredSignatures,
      source: i < staticCount ? "transaction" : "lookupTable",
    })),
    recentBlockhash: tx.recentBlockhash,
    instructions: tx.instructions.map((ix) => parseInstruction(ix, tx.accountKeys, null)),
    ...lookups,
  };
}

function encodeMeta(record: TransactionRecord, parsed: boolean) {
  const { meta, transaction } = record;
  return {
    err: meta.err,
    status: meta.err === null ? { Ok: null } : { Err: meta.err },
    fee: meta.fee,
    preBalances: meta.preBalances,
    postBalances: meta.postBalances,
    innerInstructions: meta.innerInstructions.map((group) => ({
      index: group.index,
      instructions: group.instructions.map((ix) =>
        parsed
          ? parseInstruction(ix, transaction.accountKeys, ix.stackHeight)
          : compiledInstruction(ix, ix.stackHeight),
      ),
    })),
    logMessages: meta.logMessages,
    preTokenBalances: meta.preTokenBalances,
    postTokenBalances: meta.postTokenBalances,
    rewards: [],
    ...(parsed ? {} : { loadedAddresses: transaction.loadedAddresses }),
    ...(meta.returnData
      ? {
          returnData: {
            programId: meta.returnData.programId,
            data: [Buffer.from(meta.returnData.data).toString("base64"), "base64"],
          },
        }
      : {}),
    computeUnitsConsumed: meta.computeUnitsConsumed,
  };
}

/** getTransaction's result for a landed transaction, in the requested encoding. */
export function encodeTransactionRecord(
  record: TransactionRecord,
  encoding: TransactionEncoding,
  withVersion: boolean,
) {
  const tx = record.transaction;
  let transaction: unknown;
  if (encoding === "base64") transaction = [Buffer.from(tx.wire).toString("base64"), "base64"];
  else if (encoding === "base58") transaction = [bytesToBase58(tx.wire), "base58"];
  else
    transaction = {
      signatures: tx.signatures,
      message: encodeMessage(record, encoding === "jsonParsed"),
    };
  return {
    slot: record.slot,
    blockTime: record.blockTime,
    transaction,
    meta: encodeMeta(record, encoding === "jsonParsed"),
    ...(withVersion ? { version: tx.version } : {}),
  };
}
