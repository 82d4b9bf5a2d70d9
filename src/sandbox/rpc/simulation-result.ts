import type { Address } from "@solana/kit";
import { BLOCKHASH_VALIDITY_BLOCKS } from "../chain/blockhash-queue.js";
import type { DecodedTransaction } from "../chain/decoded-transaction.js";
import { emptySimulation } from "../chain/empty-simulation.js";
import type { SandboxAccount } from "../chain/ledger-accounts.js";
import type { SandboxChain, SimulationResult } from "../chain/sandbox-chain.js";
import { createMintDecimalsReader, getTokenBalances } from "../chain/token-balances.js";
import { isCommittedError, type TransactionErrorJson } from "../chain/transaction-error.js";
import { bytesToBase58 } from "../encoding/base58.js";
import { parseInstruction } from "../encoding/parsed-instructions.js";

const UPGRADEABLE_LOADER = "BPFLoaderUpgradeab1e11111111111111111111111";
/** agave's TRANSACTION_ACCOUNT_BASE_SIZE: what every loaded account adds to the data size. */
const ACCOUNT_BASE_SIZE = 64;

/** Whether the SVM got as far as charging the fee: only then does agave report fee and balances. */
export function wasProcessed(err: TransactionErrorJson | null): boolean {
  return err === null || isCommittedError(err);
}

function programDataSize(chain: SandboxChain, program: SandboxAccount): number {
  if (program.owner !== UPGRADEABLE_LOADER || program.data.length < 36) return 0;
  const programData = chain.getAccount(bytesToBase58(program.data.subarray(4, 36)) as Address);
  return programData ? programData.data.length + ACCOUNT_BASE_SIZE : 0;
}

/** What agave counts against the loaded-accounts limit: every account, program data and lookup table. */
function getLoadedAccountsDataSize(chain: SandboxChain, tx: DecodedTransaction): number {
  let size = 0;
  const keys = [...tx.accountKeys, ...tx.addressTableLookups.map((lookup) => lookup.accountKey)];
  for (const key of keys) {
    const account = chain.getAccount(key);
    if (!account) continue;
    size += account.data.length + ACCOUNT_BASE_SIZE;
    if (account.executable) size += programDataSize(chain, account);
  }
  return size;
}

/** Pre/post balances of a simulation; post state comes from the SVM (read only when asked for). */
function getSimulatedBalances(
  chain: SandboxChain,
  tx: DecodedTransaction,
  result: SimulationResult,
) {
  const before = tx.accountKeys.map((key) => chain.getAccount(key));
  // A failed execution commits nothing but the fee, which the fee payer (index 0) pays.
  const after =
    result.err === null
      ? tx.accountKeys.map((key, i) => result.postAccounts.get(key) ?? before[i] ?? null)
      : before.map((account, i) =>
          i === 0 && account ? { ...account, lamports: account.lamports - tx.fee } : account,
        );
  const readAfter = (address: Address) =>
    (result.err === null ? result.postAccounts.get(address) : undefined) ??
    chain.getAccount(address);
  return {
    preBalances: before.map((account) => account?.lamports ?? 0n),
    postBalances: after.map((account) => account?.lamports ?? 0n),
    preTokenBalances: getTokenBalances(before, createMintDecimalsReader(chain.getAccount)),
    postTokenBalances: getTokenBalances(after, createMintDecimalsReader(readAfter)),
  };
}

function encodeReturnData(returnData: SimulationResult["returnData"] | undefined) {
  if (!returnData) return null;
  return {
    programId: returnData.programId,
    data: [Buffer.from(returnData.data).toString("base64"), "base64"],
  };
}

/**
 * agave's RpcSimulateTransactionResult for simulateTransaction: every field present, `null` where
 * the validator has nothing (fee and balances only once the fee was charged).
 */
export function createSimulationValue(
  chain: SandboxChain,
  tx: DecodedTransaction,
  result: SimulationResult,
  innerInstructions: boolean,
) {
  const processed = wasProcessed(result.err);
  const balances = processed ? getSimulatedBalances(chain, tx, result) : null;
  return {
    err: result.err,
    logs: result.logs,
    accounts: null as unknown,
    unitsConsumed: result.unitsConsumed,
    loadedAccountsDataSize: processed ? getLoadedAccountsDataSize(chain, tx) : 0,
    returnData: encodeReturnData(result.returnData),
    innerInstructions: innerInstructions
      ? result.innerInstructions.map((group) => ({
          index: group.index,
          instructions: group.instructions.map((ix) =>
            parseInstruction(ix, tx.accountKeys, ix.stackHeight),
          ),
        }))
      : null,
    replacementBlockhash: result.replacementBlockhash
      ? {
          blockhash: result.replacementBlockhash.blockhash,
          lastValidBlockHeight:
            result.replacementBlockhash.blockHeight + BigInt(BLOCKHASH_VALIDITY_BLOCKS),
        }
      : null,
    fee: processed ? tx.fee : null,
    preBalances: balances?.preBalances ?? null,
    postBalances: balances?.postBalances ?? null,
    preTokenBalances: balances?.preTokenBalances ?? null,
    postTokenBalances: balances?.postTokenBalances ?? null,
    loadedAddresses: tx.loadedAddresses,
  };
}

/** What agave returns for a simulation it never ran (a signature that fails to verify). */
export function createUnprocessedSimulation(
  err: TransactionErrorJson,
): SimulationResult & { err: TransactionErrorJson } {
  return { ...emptySimulation(err), replacementBlockhash: null };
}

/** The `data` of a -32002 preflight failure: the simulation result with agave's send-path nulls. */
export function createPreflightData(
  chain: SandboxChain,
  tx: DecodedTransaction,
  result: Pick<SimulationResult, "err" | "logs" | "unitsConsumed"> &
    Partial<Pick<SimulationResult, "returnData">>,
) {
  const processed = result.err !== null && wasProcessed(result.err);
  return {
    err: result.err,
    logs: result.logs,
    accounts: null,
    unitsConsumed: result.unitsConsumed,
    loadedAccountsDataSize: processed ? getLoadedAccountsDataSize(chain, tx) : 0,
    returnData: encodeReturnData(result.returnData),
    innerInstructions: null,
    replacementBlockhash: null,
    fee: processed ? tx.fee : null,
    preBalances: null,
    postBalances: null,
    preTokenBalances: null,
    postTokenBalances: null,
    loadedAddresses: null,
  };
}
