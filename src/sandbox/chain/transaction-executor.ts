import type { Address } from "@solana/kit";
import {
  FailedTransactionMetadata,
  type LiteSvm,
  type SimulatedTransactionInfo,
  type TransactionMetadata,
} from "litesvm/dist/internal.js";
import { bytesToAddress, bytesToBase58 } from "../encoding/base58.js";
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
  /** Accounts as they were before execution (null: absent or not read). */
  before: (SandboxAccount | null)[];
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
  const data = returnData.data();
  return {
    logs: result.logs(),
    unitsConsumed: result.computeUnitsConsumed(),
    innerInstructions,
    // The SVM records return data only when a program set some (agave: None for empty data).
    returnData: data.length > 0 ? { programId: bytesToBase58(programId) as Address, data } : null,
  };
}

function split(result: TransactionMetadata | FailedTransactionMetadata) {
  if (result instanceof FailedTransactionMetadata) {
    return { err: transactionErrorToJson(result.err()), details: readDetails(result.meta()) };
  }
  return { err: null, details: readDetails(result) };
}

/**
 * Reads the accounts a transaction names. Programs are read for lamports only (their data is the
 * whole ELF and never changes); `knownPrograms` remembers which keys are programs. With `only`
 * (after execution), the keys it marks are read again from LiteSVM, refreshing the ledger's cache.
 */
function readKeys(
  accounts: LedgerAccounts,
  tx: DecodedTransaction,
  knownPrograms: Set<string>,
  only?: boolean[],
) {
  return tx.accountKeyBytes.map((bytes, i): SandboxAccount | null => {
    const key = tx.accountKeys[i] as Address;
    if (knownPrograms.has(key)) {
      // A written program (an upgrade) may have changed: refresh what the ledger remembers.
      if (only?.[i]) accounts.reload(key, bytes);
      return {
        lamports: accounts.balanceByBytes(bytes),
        owner: key,
        data: new Uint8Array(),
        executable: true,
      };
    }
    if (only && !only[i]) return null;
    const account = only ? accounts.reload(key, bytes) : accounts.get(key, bytes);
    if (account?.executable) knownPrograms.add(key);
    return account;
  });
}

export interface Executor {
  /** `wire` defaults to the transaction's own bytes (the chain may hand a rewritten copy). */
  execute(tx: DecodedTransaction, wire?: Uint8Array): ExecutionOutcome;
  /** Puts back what `execute` changed: used when a preflight-by-execution fails. */
  rollback(outcome: ExecutionOutcome, tx: DecodedTransaction): void;
}

const EMPTY_ACCOUNT: SandboxAccount = {
  lamports: 0n,
  owner: "11111111111111111111111111111111" as Address,
  data: new Uint8Array(),
  executable: false,
};

/** Runs decoded transactions through LiteSVM, capturing the balances mainnet's meta reports. */
export function createExecutor(svm: LiteSvm, accounts: LedgerAccounts): Executor {
  const knownPrograms = new Set<string>();
  const decimals = createMintDecimalsReader(accounts.get);
  return {
    execute(tx, wire = tx.wire) {
      const before = readKeys(accounts, tx, knownPrograms);
      const result =
        tx.version === "legacy"
          ? svm.sendLegacyTransaction(wire)
          : svm.sendVersionedTransaction(wire);
      const { err, details } = split(result);
      // Read-only keys cannot change: only writable ones are read again.
      const written = readKeys(accounts, tx, knownPrograms, tx.isWritable);
      const after = written.map((account, i) => (tx.isWritable[i] ? account : (before[i] ?? null)));
      accounts.touch(tx.accountKeys);
      return {
        err,
        before,
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
    },
    rollback(outcome, tx) {
      outcome.before.forEach((account, i) => {
        const key = tx.accountKeys[i] as Address;
        if (tx.isWritable[i] && !knownPrograms.has(key))
          accounts.set(key, account ?? EMPTY_ACCOUNT);
      });
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
  const meta = result.meta();
  let details: ExecutionDetails | null = null;
  const read = () => {
    details ??= readDetails(meta);
    return details;
  };
  let postAccounts: Map<Address, SandboxAccount> | null = null;
  // Read on demand: a swap build's compute-unit estimate needs only the units and the error.
  return {
    err: null,
    unitsConsumed: meta.computeUnitsConsumed(),
    get logs() {
      return read().logs;
    },
    get innerInstructions() {
      return read().innerInstructions;
    },
    get returnData() {
      return read().returnData;
    },
    get postAccounts() {
      postAccounts ??= readPostAccounts(result);
      return postAccounts;
    },
  };
}

function readPostAccounts(result: SimulatedTransactionInfo): Map<Address, SandboxAccount> {
  const postAccounts = new Map<Address, SandboxAccount>();
  for (const entry of result.postAccounts()) {
    const account = entry.account();
    postAccounts.set(bytesToAddress(entry.address), {
      lamports: account.lamports(),
      owner: bytesToAddress(account.owner()),
      data: account.data(),
      executable: account.executable(),
    });
  }
  return postAccounts;
}
