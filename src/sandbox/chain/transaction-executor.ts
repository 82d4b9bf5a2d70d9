import type { Address } from "@solana/kit";
import {
  FailedTransactionMetadata,
  type LiteSvm,
  type SimulatedTransactionInfo,
  type TransactionMetadata,
} from "litesvm/dist/internal.js";
import { bytesToBase58 } from "../encoding/base58.js";
import type { DecodedTransaction } from "./decoded-transaction.js";
import type { LedgerAccounts, SandboxAccount } from "./ledger-accounts.js";
import { createMintDecimalsReader, getTokenBalances } from "./token-balances.js";
import { type TransactionErrorJson, transactionErrorToJson } from "./transaction-error.js";
import type { InnerInstructionRecord, TransactionMetaRecord } from "./transaction-store.js";

export interface ExecutionDetails {
  logs: string[];
  unitsConsumed: bigint;
  innerInstructions: InnerInstructionRecord[];
  returnData: { programId: Address; data: Uint8Array } | null;
}

export interface ExecutionOutcome {
  err: TransactionErrorJson | null;
  meta: TransactionMetaRecord;
}

export interface SimulationOutcome extends ExecutionDetails {
  err: TransactionErrorJson | null;
  /** Post-simulation state of the accounts the simulation loaded. */
  postAccounts: Map<Address, SandboxAccount>;
}

function readDetails(result: TransactionMetadata): ExecutionDetails {
  const returnData = result.returnData();
  const programId = returnData.programId();
  const innerInstructions = result
    .innerInstructions()
    .map((group, index) => ({
      index,
      instructions: group.map((inner) => {
        const ix = inner.instruction();
        return {
          programIdIndex: ix.programIdIndex(),
          accounts: [...ix.accounts()],
          data: ix.data(),
          stackHeight: inner.stackHeight(),
        };
      }),
    }))
    .filter((group) => group.instructions.length > 0);
  return {
    logs: result.logs(),
    unitsConsumed: result.computeUnitsConsumed(),
    innerInstructions,
    returnData: programId.some((b) => b !== 0)
      ? { programId: bytesToBase58(programId) as Address, data: returnData.data() }
      : null,
  };
}

function split(result: TransactionMetadata | FailedTransactionMetadata) {
  if (result instanceof FailedTransactionMetadata) {
    return { err: transactionErrorToJson(result.err()), details: readDetails(result.meta()) };
  }
  return { err: null, details: readDetails(result) };
}

/** Runs a decoded transaction through LiteSVM, capturing the balances mainnet's meta reports. */
export function executeTransaction(
  svm: LiteSvm,
  accounts: LedgerAccounts,
  tx: DecodedTransaction,
): ExecutionOutcome {
  const before = tx.accountKeyBytes.map((key) => accounts.getByBytes(key));
  const result =
    tx.version === "legacy"
      ? svm.sendLegacyTransaction(tx.wire)
      : svm.sendVersionedTransaction(tx.wire);
  const { err, details } = split(result);
  const after = tx.accountKeyBytes.map((key) => accounts.getByBytes(key));
  accounts.touch(tx.accountKeys);
  const decimals = createMintDecimalsReader(accounts.get);
  return {
    err,
    meta: {
      err,
      fee: tx.fee,
      preBalances: before.map((a) => a?.lamports ?? 0n),
      postBalances: after.map((a) => a?.lamports ?? 0n),
      preTokenBalances: getTokenBalances(before, decimals),
      postTokenBalances: getTokenBalances(after, decimals),
      logMessages: details.logs,
      innerInstructions: details.innerInstructions,
      computeUnitsConsumed: details.unitsConsumed,
      returnData: details.returnData,
    },
  };
}

export function simulateTransaction(
  svm: LiteSvm,
  version: "legacy" | 0,
  wire: Uint8Array,
): SimulationOutcome {
  const result: SimulatedTransactionInfo | FailedTransactionMetadata =
    version === "legacy"
      ? svm.simulateLegacyTransaction(wire)
      : svm.simulateVersionedTransaction(wire);
  if (result instanceof FailedTransactionMetadata) {
    const { err, details } = split(result);
    return { err, ...details, postAccounts: new Map() };
  }
  const postAccounts = new Map<Address, SandboxAccount>();
  for (const entry of result.postAccounts()) {
    const account = entry.account();
    postAccounts.set(bytesToBase58(entry.address) as Address, {
      lamports: account.lamports(),
      owner: bytesToBase58(account.owner()) as Address,
      data: account.data(),
      executable: account.executable(),
    });
  }
  return { err: null, ...readDetails(result.meta()), postAccounts };
}
