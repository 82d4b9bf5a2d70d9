import { randomBytes } from "node:crypto";
import { type Address, getTransactionEncoder, type Transaction } from "@solana/kit";
import { Clock, LiteSvm } from "litesvm/dist/internal.js";
import { base58ToBytes } from "../encoding/base58.js";
import { type BlockInfo, createBlockhashQueue, deriveBlockhash } from "./blockhash-queue.js";
import { COMMITMENT_DEPTH, type Commitment } from "./commitment.js";
import { type DecodedTransaction, decodeTransaction } from "./decoded-transaction.js";
import { createFaucet } from "./faucet.js";
import { createLedgerAccounts, type SandboxAccount } from "./ledger-accounts.js";
import { createSeededRandom, type RandomSource } from "./random-source.js";
import { createSignatureVerifier } from "./signature-verifier.js";
import { createSlotClock, type SlotClock, type Timer } from "./slot-clock.js";
import type { TokenAccountEntry } from "./token-account-index.js";
import { isCommittedError, type TransactionErrorJson } from "./transaction-error.js";
import {
  createExecutor,
  type SimulationOutcome,
  simulateTransaction,
} from "./transaction-executor.js";
import { createTransactionStore, type TransactionRecord } from "./transaction-store.js";
import { createSandboxValidator, type SandboxValidator } from "./validator-accounts.js";

export interface SandboxChainOptions {
  /** Slot duration of the running clock; default 400 ms. */
  slotMs?: number;
  /** Start paused: slots advance only through `advance(n)`. */
  manualClock?: boolean;
  /** Randomness for anything chance-based (faults); default seeded from the OS. */
  random?: RandomSource;
  timer?: Timer;
  /** Wall clock in ms, for block times. */
  now?: () => number;
  /** First slot; block height starts at 0 so that slot and height differ, as on mainnet. */
  startSlot?: bigint;
}

export type SubmitResult =
  | { landed: true; signature: string; err: TransactionErrorJson | null; record: TransactionRecord }
  | {
      landed: false;
      signature: string;
      err: TransactionErrorJson;
      /** What the failed execution logged (empty when it never reached the SVM). */
      logs: string[];
      unitsConsumed: bigint;
    };

export interface SubmitOptions {
  /**
   * Run mainnet's preflight: the blockhash must be valid at this slot, and a transaction that
   * fails is not committed. Done by executing and rolling back, so a passing send runs the SVM once.
   */
  preflightSlot?: bigint;
}

export interface SimulateOptions {
  /** Slot whose bank the simulation is checked against (blockhash validity). */
  atSlot?: bigint;
  replaceRecentBlockhash?: boolean;
}

export interface SimulationResult extends SimulationOutcome {
  replacementBlockhash: BlockInfo | null;
}

export interface SetAccountInput {
  address: Address;
  lamports: bigint;
  owner?: Address;
  data?: Uint8Array;
  executable?: boolean;
  rentEpoch?: bigint;
}

export interface SandboxChain {
  readonly clock: SlotClock;
  readonly random: RandomSource;
  readonly now: () => number;
  readonly faucetAddress: Address;
  readonly genesisHash: string;
  readonly transactionCount: bigint;
  /** The cluster's single validator: identity (leader of every slot), vote and stake accounts. */
  readonly validator: SandboxValidator;
  /** Slot at a commitment level, optionally as seen by an endpoint lagging `lag` slots. */
  getSlot(commitment?: Commitment, lag?: number): bigint;
  /** Block info (blockhash, height, time) of a retained slot. */
  getBlock(slot: bigint): BlockInfo;
  advance(slots?: number): void;
  isBlockhashValid(blockhash: string, atSlot: bigint): boolean;
  getAccount(address: Address): SandboxAccount | null;
  getProgramAccounts(owner: Address): { address: Address; account: SandboxAccount }[];
  /** Initialized token accounts (either token program) owned by `owner`, from an index. */
  getTokenAccountsByOwner(owner: Address): readonly TokenAccountEntry[];
  /** Initialized token accounts of `mint`, from an index. */
  getTokenAccountsByMint(mint: Address): readonly TokenAccountEntry[];
  setAccount(input: SetAccountInput): void;
  minimumBalanceForRentExemption(dataLength: number): bigint;
  /** Transfers from the faucet; returns the airdrop's transaction signature. */
  airdrop(address: Address, lamports: bigint): string;
  decodeTransaction(wire: Uint8Array): DecodedTransaction;
  verifySignatures(tx: DecodedTransaction): boolean;
  /** A signature the sandbox made itself (a pool authority's): its check can be skipped later. */
  rememberOwnSignature(signer: Address, messageBytes: Uint8Array, signature: Uint8Array): void;
  simulateTransaction(tx: DecodedTransaction, options?: SimulateOptions): SimulationResult;
  /** Lands a decoded transaction in the current slot (no signature check: callers decide). */
  submitTransaction(tx: DecodedTransaction, options?: SubmitOptions): SubmitResult;
  /** In-process convenience: decode, verify and land a signed transaction. */
  sendTransaction(tx: Uint8Array | Transaction): SubmitResult;
  getTransaction(signature: string): TransactionRecord | undefined;
  getTransactionsForAddress(address: Address): readonly TransactionRecord[];
  getTransactionsInSlot(slot: bigint): readonly TransactionRecord[];
  getRecentPrioritizationFees(
    accounts: readonly Address[],
    atSlot: bigint,
  ): { slot: bigint; fee: bigint }[];
  /** Called after every new slot; returns an unsubscribe function. */
  onSlot(listener: (slot: bigint) => void): () => void;
  /** Called after every landed transaction. */
  onTransaction(listener: (record: TransactionRecord) => void): () => void;
  snapshot(): string;
  restore(id: string): void;
  close(): void;
}

const FAUCET_LAMPORTS = 1n << 62n;
export const SLOTS_PER_EPOCH = 432_000n;

export function createSandboxChain(options: SandboxChainOptions = {}): SandboxChain {
  const now = options.now ?? Date.now;
  const random = options.random ?? createSeededRandom(randomBytes(4).readUInt32LE(0));
  const seed = randomBytes(16).toString("hex");
  const genesisSlot = options.startSlot ?? 1000n;
  // LiteSVM checks neither blockhash age nor signatures here: the sandbox does both itself.
  const svm = new LiteSvm();
  svm.setSigverify(false);
  svm.setBlockhashCheck(false);
  svm.setTransactionHistory(0n);
  const verifier = createSignatureVerifier();
  const verify = (tx: DecodedTransaction) =>
    verifier.verify(tx.messageBytes, tx.signatureBytes, tx.accountKeyBytes, tx.accountKeys);
  const accounts = createLedgerAccounts(svm);
  const executor = createExecutor(svm, accounts);
  const store = createTransactionStore();
  const queue = createBlockhashQueue();
  const faucet = createFaucet();
  const slotListeners = new Set<(slot: bigint) => void>();
  const txListeners = new Set<(record: TransactionRecord) => void>();
  let slot = genesisSlot;
  let airdropNonce = 0;

  const produceBlock = () => {
    const blockTime = Math.floor(now() / 1000);
    queue.push({
      slot,
      blockHeight: slot - genesisSlot,
      blockhash: deriveBlockhash(seed, slot),
      blockTime,
    });
    svm.setClock(
      new Clock(slot, 0n, slot / SLOTS_PER_EPOCH, slot / SLOTS_PER_EPOCH + 1n, BigInt(blockTime)),
    );
  };
  produceBlock();
  accounts.set(faucet.address, {
    lamports: FAUCET_LAMPORTS,
    owner: "11111111111111111111111111111111" as Address,
    data: new Uint8Array(),
    executable: false,
  });

  const getSlot = (commitment: Commitment = "processed", lag = 0) => {
    const at = slot - BigInt(lag) - COMMITMENT_DEPTH[commitment];
    return at < genesisSlot ? genesisSlot : at;
  };
  const advance = (slots = 1) => {
    for (let i = 0; i < slots; i++) {
      slot += 1n;
      produceBlock();
      for (const listener of slotListeners) listener(slot);
    }
  };
  const clock = createSlotClock({
    slotMs: options.slotMs ?? 400,
    onTick: () => advance(1),
    ...(options.timer ? { timer: options.timer } : {}),
  });
  if (!options.manualClock) clock.resume();

  const decode = (wire: Uint8Array) =>
    decodeTransaction(wire, (address) => accounts.get(address)?.data ?? null);
  const rejected = (
    signature: string,
    err: TransactionErrorJson,
    logs: string[] = [],
    unitsConsumed = 0n,
  ) => ({ landed: false, signature, err, logs, unitsConsumed }) as const;
  const submitTransaction = (tx: DecodedTransaction, submit: SubmitOptions = {}): SubmitResult => {
    const { signature } = tx;
    const { preflightSlot } = submit;
    if (store.get(signature)) return rejected(signature, "AlreadyProcessed");
    if (preflightSlot !== undefined && !queue.isValid(tx.recentBlockhash, preflightSlot)) {
      return rejected(signature, "BlockhashNotFound");
    }
    if (!queue.isValid(tx.recentBlockhash, slot)) return rejected(signature, "BlockhashNotFound");
    const outcome = executor.execute(tx);
    const { err, meta } = outcome;
    if (err !== null && (preflightSlot !== undefined || !isCommittedError(err))) {
      if (isCommittedError(err)) executor.rollback(outcome, tx);
      return rejected(signature, err, meta.logMessages, meta.computeUnitsConsumed);
    }
    const block = queue.atSlot(slot) as BlockInfo;
    const record: TransactionRecord = {
      signature,
      slot,
      blockTime: block.blockTime,
      transaction: tx,
      meta,
    };
    store.add(record);
    for (const listener of txListeners) listener(record);
    return { landed: true, signature, err, record };
  };

  return {
    clock,
    random,
    now,
    faucetAddress: faucet.address,
    genesisHash: deriveBlockhash(seed, genesisSlot),
    validator: createSandboxValidator({
      accounts,
      minimumBalance: (length) => svm.minimumBalanceForRentExemption(BigInt(length)),
      genesisSlot,
      slotsPerEpoch: SLOTS_PER_EPOCH,
      now,
      transactionCount: () => store.count,
      onSlot: (listener) => slotListeners.add(listener),
    }),
    get transactionCount() {
      return store.count;
    },
    getSlot,
    getBlock(at) {
      const block = queue.atSlot(at) ?? queue.atSlot(slot);
      return block as BlockInfo;
    },
    advance,
    isBlockhashValid: (blockhash, atSlot) => queue.isValid(blockhash, atSlot),
    getAccount: (address) => accounts.get(address),
    getProgramAccounts: (owner) => accounts.programAccounts(owner),
    getTokenAccountsByOwner: (owner) => accounts.tokenAccountsByOwner(owner),
    getTokenAccountsByMint: (mint) => accounts.tokenAccountsByMint(mint),
    setAccount(input) {
      accounts.set(input.address, {
        lamports: input.lamports,
        owner: input.owner ?? ("11111111111111111111111111111111" as Address),
        data: input.data ?? new Uint8Array(),
        executable: input.executable ?? false,
        ...(input.rentEpoch === undefined ? {} : { rentEpoch: input.rentEpoch }),
      });
    },
    minimumBalanceForRentExemption: (length) => svm.minimumBalanceForRentExemption(BigInt(length)),
    airdrop(address, lamports) {
      const block = queue.atSlot(slot) as BlockInfo;
      const wire = faucet.buildTransfer(address, lamports, block.blockhash, airdropNonce++);
      const result = submitTransaction(decode(wire));
      if (result.err !== null) throw new Error(`airdrop failed: ${JSON.stringify(result.err)}`);
      return result.signature;
    },
    decodeTransaction: decode,
    verifySignatures: verify,
    rememberOwnSignature: (signer, messageBytes, signature) =>
      verifier.rememberOwn(signer, messageBytes, signature),
    simulateTransaction(tx, simulate = {}) {
      const atSlot = simulate.atSlot ?? slot;
      let wire = tx.wire;
      let replacementBlockhash: BlockInfo | null = null;
      if (simulate.replaceRecentBlockhash) {
        replacementBlockhash = queue.atSlot(atSlot) as BlockInfo;
        wire = replaceBlockhash(tx, replacementBlockhash.blockhash);
      } else if (!queue.isValid(tx.recentBlockhash, atSlot)) {
        return { ...emptySimulation("BlockhashNotFound"), replacementBlockhash };
      }
      if (store.get(tx.signature))
        return { ...emptySimulation("AlreadyProcessed"), replacementBlockhash };
      // Assigned onto the outcome rather than spread, which would read its lazy postAccounts.
      return Object.assign(simulateTransaction(svm, tx.version, wire), { replacementBlockhash });
    },
    submitTransaction,
    sendTransaction(input) {
      const wire =
        input instanceof Uint8Array ? input : (getTransactionEncoder().encode(input) as Uint8Array);
      const tx = decode(wire);
      if (!verify(tx)) return rejected(tx.signature, "SignatureFailure");
      return submitTransaction(tx);
    },
    getTransaction: (signature) => store.get(signature),
    getTransactionsForAddress: (address) => store.forAddress(address),
    getTransactionsInSlot: (at) => store.inSlot(at),
    getRecentPrioritizationFees: (list, atSlot) => store.prioritizationFees(list, atSlot),
    onSlot(listener) {
      slotListeners.add(listener);
      return () => slotListeners.delete(listener);
    },
    onTransaction(listener) {
      txListeners.add(listener);
      return () => txListeners.delete(listener);
    },
    snapshot: () => accounts.snapshot(),
    restore: (id) => accounts.restore(id),
    close() {
      clock.pause();
      slotListeners.clear();
      txListeners.clear();
    },
  };
}

function emptySimulation(err: TransactionErrorJson): SimulationOutcome {
  return {
    err,
    logs: [],
    unitsConsumed: 0n,
    innerInstructions: [],
    returnData: null,
    postAccounts: new Map(),
  };
}

/** Rewrites the blockhash in place of a copy of the wire bytes (it sits right after the static keys). */
function replaceBlockhash(tx: DecodedTransaction, blockhash: string): Uint8Array {
  const wire = Uint8Array.from(tx.wire);
  const messageStart = tx.wire.length - tx.messageBytes.length;
  const versionPrefix = tx.version === "legacy" ? 0 : 1;
  const keyCount = tx.staticAccounts.length;
  const compactLength = keyCount < 0x80 ? 1 : keyCount < 0x4000 ? 2 : 3;
  const offset = messageStart + versionPrefix + 3 + compactLength + 32 * keyCount;
  wire.set(base58ToBytes(blockhash) ?? new Uint8Array(32), offset);
  return wire;
}
