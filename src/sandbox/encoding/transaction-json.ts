import type { TransactionRecord } from "../chain/transaction-store.js";
import { bytesToBase58 } from "./base58.js";
import { type CompiledInstruction, parseInstruction } from "./parsed-instructions.js";
import { getDisplayedWritable } from "./reserved-account-keys.js";

export type TransactionEncoding = "json" | "jsonParsed" | "base64" | "base58" | "binary";

export interface TransactionEncodeOptions {
  /** Set when the caller passed maxSupportedTransactionVersion: only then is `version` shown. */
  withVersion: boolean;
  showRewards: boolean;
}

/** agave's validate_version: a versioned transaction needs a maxSupportedTransactionVersion that covers it. */
export function isVersionSupported(record: TransactionRecord, max: number | undefined): boolean {
  const { version } = record.transaction;
  return version === "legacy" || (max !== undefined && version <= max);
}

// Top-level instructions carry a null stack height on agave 2.2 (the version the sandbox claims).
function compiledInstruction(ix: CompiledInstruction, stackHeight: number | null) {
  return {
    programIdIndex: ix.programIdIndex,
    accounts: ix.accounts,
    data: bytesToBase58(ix.data),
    stackHeight,
  };
}

/** Account list with writable/signer/source, as jsonParsed messages and "accounts" details show it. */
export function getParsedAccountKeys(record: TransactionRecord) {
  const tx = record.transaction;
  const writable = getDisplayedWritable(
    tx.accountKeys,
    tx.isWritable,
    tx.instructions.map((ix) => ix.programIdIndex),
  );
  const staticCount = tx.staticAccounts.length;
  return tx.accountKeys.map((pubkey, i) => ({
    pubkey,
    writable: writable[i] ?? false,
    signer: i < tx.header.numRequiredSignatures,
    source: i < staticCount ? "transaction" : "lookupTable",
  }));
}

function encodeMessage(record: TransactionRecord, parsed: boolean) {
  const tx = record.transaction;
  const lookups = tx.version === 0 ? { addressTableLookups: tx.addressTableLookups } : {};
  if (!parsed) {
    return {
      accountKeys: tx.staticAccounts,
      header: tx.header,
      recentBlockhash: tx.recentBlockhash,
      instructions: tx.instructions.map((ix) => compiledInstruction(ix, null)),
      ...lookups,
    };
  }
  return {
    accountKeys: getParsedAccountKeys(record),
    recentBlockhash: tx.recentBlockhash,
    instructions: tx.instructions.map((ix) => parseInstruction(ix, tx.accountKeys, null)),
    ...lookups,
  };
}

function encodeReturnData(record: TransactionRecord) {
  const { returnData } = record.meta;
  if (!returnData) return {};
  const data = [Buffer.from(returnData.data).toString("base64"), "base64"];
  return { returnData: { programId: returnData.programId, data } };
}

function encodeMeta(record: TransactionRecord, parsed: boolean, showRewards: boolean) {
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
    rewards: showRewards ? [] : null,
    ...(parsed ? {} : { loadedAddresses: transaction.loadedAddresses }),
    ...encodeReturnData(record),
    computeUnitsConsumed: meta.computeUnitsConsumed,
  };
}

function encodeTransaction(record: TransactionRecord, encoding: TransactionEncoding) {
  const tx = record.transaction;
  switch (encoding) {
    case "base64":
      return [Buffer.from(tx.wire).toString("base64"), "base64"];
    case "base58":
      return [bytesToBase58(tx.wire), "base58"];
    case "binary":
      return bytesToBase58(tx.wire);
    case "json":
    case "jsonParsed":
      return {
        signatures: tx.signatures,
        message: encodeMessage(record, encoding === "jsonParsed"),
      };
    default:
      return encoding satisfies never;
  }
}

/** `{ transaction, meta, version? }`: one transaction of a block, or the body of getTransaction. */
export function encodeTransactionWithMeta(
  record: TransactionRecord,
  encoding: TransactionEncoding,
  options: TransactionEncodeOptions,
) {
  return {
    transaction: encodeTransaction(record, encoding),
    meta: encodeMeta(record, encoding === "jsonParsed", options.showRewards),
    ...(options.withVersion ? { version: record.transaction.version } : {}),
  };
}

/** transactionDetails "accounts": signatures and the account list, and a meta without instructions or logs. */
export function encodeTransactionAccounts(
  record: TransactionRecord,
  options: TransactionEncodeOptions,
) {
  const { meta } = record;
  return {
    transaction: {
      signatures: record.transaction.signatures,
      accountKeys: getParsedAccountKeys(record),
    },
    meta: {
      err: meta.err,
      status: meta.err === null ? { Ok: null } : { Err: meta.err },
      fee: meta.fee,
      preBalances: meta.preBalances,
      postBalances: meta.postBalances,
      preTokenBalances: meta.preTokenBalances,
      postTokenBalances: meta.postTokenBalances,
      ...(options.showRewards ? { rewards: [] } : {}),
    },
    ...(options.withVersion ? { version: record.transaction.version } : {}),
  };
}

/** getTransaction's result for a landed transaction, in the requested encoding. */
export function encodeTransactionRecord(
  record: TransactionRecord,
  encoding: TransactionEncoding,
  withVersion: boolean,
) {
  return {
    slot: record.slot,
    ...encodeTransactionWithMeta(record, encoding, { withVersion, showRewards: true }),
    blockTime: record.blockTime,
  };
}
