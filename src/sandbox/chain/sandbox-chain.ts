import { randomBytes } from "node:crypto";
import { type Address, getTransactionEncoder, type Transaction } from "@solana/kit";
import { LiteSvm } from "litesvm/dist/internal.js";
import { base58ToBytes } from "../encoding/base58.js";
import { isTokenProgram, readTokenAccount } from "../encoding/token-layout.js";
import { type BlockRecord, createBlockStore } from "./block-store.js";
import {
  BLOCKHASH_VALIDITY_BLOCKS,
  type BlockInfo,
  createBlockhashQueue,
  deriveBlockhash,
} from "./blockhash-queue.js";
import { type BundleResult, executeBundle } from "./bundle-execution.js";
import { COMMITMENT_DEPTH, type Commitment } from "./commitment.js";
import { createCommitmentJournal } from "./commitment-journal.js";
import { LAMPORTS_PER_SIGNATURE } from "./compute-budget.js";
import { type DecodedTransaction, decodeTransaction } from "./decoded-transaction.js";
import { advanceNonceData, getNonceAddress, isDurableNonceTransaction } from "./durable-nonce.js";
import { emptySimulation } from "./empty-simulation.js";
import { createFaucet } from "./faucet.js";
import { createLedgerAccounts, type SandboxAccount } from "./ledger-accounts.js";
import type { LookupTableEnvironment } from "./lookup-table.js";
import { createPublicationQueue } from "./publication-queue.js";
import { createSeededRandom, type RandomSource } from "./random-source.js";
import { createSignatureVerifier } from "./signature-verifier.js";
import { createSlotClock, type SlotClock, type Timer } from "./slot-clock.js";
import { createSvmClock, SLOT_HASHES_MAX_ENTRIES, SLOTS_PER_EPOCH } from "./svm-clock.js";
import type { TokenAccountEntry } from "./token-account-index.js";
import { isCommittedError, type TransactionErrorJson } from "./transaction-error.js";
import {
  createExecutor,
  type ExecutionOutcome,
  type SimulationOutcome,
  simulateTransaction,
} from "./transaction-executor.js";
import { createTransactionStore, type TransactionRecord } from "./transaction-store.js";
import { createSandboxValidator, type SandboxValidator } from "./validator-accounts.js";
import { type Cosigner, createValidatorCosigning } from "./validator-cosigning.js";
import {
  getKeypairAddress,
  getKeypairSigner,
  type ValidatorKeypairs,
} from "./validator-keypairs.js";

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
  /** Sealed blocks (and their transactions) kept; default 90,000 (ten hours of 400 ms slots). */
  blockRetention?: number;
  /** Identity, vote account and faucet keys (a ledger directory's); fresh ones otherwise. */
  keypairs?: ValidatorKeypairs;
}

/** A transaction refused before it landed (by preflight, or unable to land at all). */
export interface RejectedTransaction {
  landed: false;
  signature: string;
  err: TransactionErrorJson;
  /** What the failed execution logged (empty when it never reached the SVM). */
  logs: string[];
  unitsConsumed: bigint;
}

export type SubmitResult =
  | { landed: true; signature: string; err: TransactionErrorJson | null; record: TransactionRecord }
  | RejectedTransaction;

/** What the RPC write path gets back: accepted (published on a later tick) or refused by preflight. */
export type EnqueueResult =
  | { accepted: true; signature: string }
  | ({ accepted: false } & RejectedTransaction);

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
  /** The tip's state (processed). */
  getAccount(address: Address): SandboxAccount | null;
  /**
   * The state as of `atSlot` (a commitment level's slot): what transactions sent over RPC wrote
   * after it is not yet seen. In-process writes are seen at once (`commitment-journal.ts`).
   */
  getAccountAt(address: Address, atSlot: bigint): SandboxAccount | null;
  getProgramAccounts(owner: Address): { address: Address; account: SandboxAccount }[];
  /**
   * Initialized token accounts (either token program) owned by `owner`, from an index; with
   * `atSlot`, as of that slot as `getAccountAt` reads them (one closed since is not brought back).
   */
  getTokenAccountsByOwner(owner: Address, atSlot?: bigint): readonly TokenAccountEntry[];
  /** Initialized token accounts of `mint`, from an index. */
  getTokenAccountsByMint(mint: Address): readonly TokenAccountEntry[];
  setAccount(input: SetAccountInput): void;
  minimumBalanceForRentExemption(dataLength: number): bigint;
  /**
   * Transfers from the faucet; returns the airdrop's transaction signature. Published at once,
   * or with `{ deferred: true }` (RPC requestAirdrop) on the next tick, like a sent transaction.
   */
  airdrop(address: Address, lamports: bigint, options?: { deferred?: boolean }): string;
  decodeTransaction(wire: Uint8Array): DecodedTransaction;
  verifySignatures(tx: DecodedTransaction): boolean;
  /**
   * Validator co-signing (`validator-cosigning.ts`): the wire bytes with empty signer slots filled
   * by an installed cosigner (a pool authority for an issued swap), else the same bytes. Every
   * ingress that verifies signatures calls it on the raw bytes first: RPC sendTransaction,
   * simulateTransaction with sigVerify, `sendTransaction` here, the block engine.
   */
  completeSignatures(wire: Uint8Array): Uint8Array;
  /** Installs a cosigner for `completeSignatures`; returns the function that removes it. */
  addCosigner(cosigner: Cosigner): () => void;
  /** A signature the sandbox made itself (a pool authority's): its check can be skipped later. */
  rememberOwnSignature(signer: Address, messageBytes: Uint8Array, signature: Uint8Array): void;
  simulateTransaction(tx: DecodedTransaction, options?: SimulateOptions): SimulationResult;
  /**
   * Lands a decoded transaction in the current slot and publishes it at once (no signature
   * check: callers decide). For in-process callers that need the record.
   */
  submitTransaction(tx: DecodedTransaction, options?: SubmitOptions): SubmitResult;
  /**
   * The RPC write path, as a validator behaves: with `preflightSlot` the transaction executes now
   * (preflight needs its result) and is published on the next tick; without, it executes and is
   * published when the slot being built ends, just before its block seals (`advance`).
   */
  enqueueTransaction(tx: DecodedTransaction, options?: SubmitOptions): EnqueueResult;
  /**
   * A Jito bundle (the block engine's path): executes the transactions in order in the slot being
   * built and publishes them all, or, if any fails, undoes what ran and publishes none. Signatures
   * are the caller's to check.
   */
  landBundle(txs: readonly DecodedTransaction[]): BundleResult;
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
  /** Called when a landed transaction is published (in execution order, before its block seals). */
  onTransaction(listener: (record: TransactionRecord) => void): () => void;
  /** Sealed block of `slot` (sealed when the next slot starts), or undefined if not yet sealed / pruned. */
  getBlockRecord(slot: bigint): BlockRecord | undefined;
  /** Sealed, retained block slots in [start, end], ascending. */
  getBlockSlots(start: bigint, end: bigint): bigint[];
  /** Oldest retained block's slot (getFirstAvailableBlock / minimumLedgerSlot). */
  readonly firstAvailableBlock: bigint;
  /** Called when a block is sealed (after its slot ends). */
  onBlock(listener: (block: BlockRecord) => void): () => void;
  snapshot(): string;
  restore(id: string): void;
  close(): void;
}

const FAUCET_LAMPORTS = 1n << 62n;
/** Entry boundaries per slot at which sends without preflight execute (a leader's PoH ticks, coarser). */
const ENTRIES_PER_SLOT = 8;

export { SLOTS_PER_EPOCH };

const SLOT_HASHES_SYSVAR = "SysvarS1otHashes111111111111111111111111111";
const SLOT_HISTORY_SYSVAR = "SysvarS1otHistory11111111111111111111111111";
const SYSVAR_OWNER = "Sysvar1111111111111111111111111111111111111";

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
  const svmClock = createSvmClock(svm, { prelude: randomBytes(2).readUInt16LE(0) % 1024 });
  const verifier = createSignatureVerifier();
  const verify = (tx: DecodedTransaction) =>
    verifier.verify(tx.messageBytes, tx.signatureBytes, tx.accountKeyBytes, tx.accountKeys);
  const accounts = createLedgerAccounts(svm);
  const executor = createExecutor(svm, accounts);
  const store = createTransactionStore();
  const queue = createBlockhashQueue();
  const blocks = createBlockStore(genesisSlot, options.blockRetention);
  const faucet = createFaucet(options.keypairs && getKeypairSigner(options.keypairs.faucet));
  const slotListeners = new Set<(slot: bigint) => void>();
  const txListeners = new Set<(record: TransactionRecord) => void>();
  const blockListeners = new Set<(block: BlockRecord) => void>();
  const genesisHash = deriveBlockhash(seed, genesisSlot);
  let slot = genesisSlot;
  let airdropNonce = 0;

  const journal = createCommitmentJournal();
  const produceBlock = () => {
    journal.prune(slot);
    const blockTime = Math.floor(now() / 1000);
    const blockhash = svmClock.startSlot(slot, blockTime);
    queue.push({ slot, blockHeight: slot - genesisSlot, blockhash, blockTime });
  };
  produceBlock();
  accounts.set(faucet.address, {
    lamports: FAUCET_LAMPORTS,
    owner: "11111111111111111111111111111111" as Address,
    data: new Uint8Array(),
    executable: false,
  });

  const publish = (record: TransactionRecord) => {
    store.add(record);
    for (const listener of txListeners) listener(record);
  };
  const sealBlock = () => {
    const block = queue.atSlot(slot) as BlockInfo;
    const parent = queue.atSlot(slot - 1n);
    const sealed: BlockRecord = {
      slot,
      parentSlot: parent ? parent.slot : genesisSlot === 0n ? 0n : genesisSlot - 1n,
      blockhash: block.blockhash,
      previousBlockhash: parent ? parent.blockhash : genesisHash,
      blockHeight: block.blockHeight,
      blockTime: block.blockTime,
      transactions: store.inSlot(slot),
    };
    for (const old of blocks.add(sealed)) store.prune(old.slot);
    for (const listener of blockListeners) listener(sealed);
  };

  // The genesis block is sealed at once, as a validator's genesis bank is frozen: transactions
  // land from the next slot, so a commitment level never reads a block still being built.
  sealBlock();
  slot += 1n;
  produceBlock();

  const getSlot = (commitment: Commitment = "processed", lag = 0) => {
    const at = slot - BigInt(lag) - COMMITMENT_DEPTH[commitment];
    return at < genesisSlot ? genesisSlot : at;
  };
  const advance = (slots = 1) => {
    for (let i = 0; i < slots; i++) {
      // Whatever was sent in this slot lands in it before the block seals.
      pending.flush();
      sealBlock();
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

  const lookupTables: LookupTableEnvironment = {
    account: (address) => accounts.get(address),
    get slot() {
      return slot;
    },
    isRecentSlot: (at) =>
      at < slot && at >= genesisSlot && slot - at <= BigInt(SLOT_HASHES_MAX_ENTRIES),
  };
  const decode = (wire: Uint8Array) => decodeTransaction(wire, lookupTables);
  const cosigning = createValidatorCosigning({
    decode,
    slot: () => slot,
    isBlockhashValid: (blockhash, atSlot) => queue.isValid(blockhash, atSlot),
    rememberOwn: (signer, messageBytes, signature) =>
      verifier.rememberOwn(signer, messageBytes, signature),
  });
  const rejected = (
    signature: string,
    err: TransactionErrorJson,
    logs: string[] = [],
    unitsConsumed = 0n,
  ): RejectedTransaction => ({ landed: false, signature, err, logs, unitsConsumed });
  const isDuplicate = (signature: string) =>
    store.get(signature) !== undefined || pending.has(signature);
  // A recent blockhash at `atSlot`, or a durable nonce (valid whatever its age).
  const isRecent = (tx: DecodedTransaction, atSlot: bigint) =>
    queue.isValid(tx.recentBlockhash, atSlot) ||
    isDurableNonceTransaction(tx, accounts.get, (queue.atSlot(slot) as BlockInfo).blockhash);
  // A failed nonce transaction still advances its nonce on a validator: LiteSVM undid it.
  const advanceFailedNonce = (tx: DecodedTransaction) => {
    const address = getNonceAddress(tx);
    const account = address ? accounts.get(address) : null;
    if (!address || !account) return;
    const blockhash = (queue.atSlot(slot) as BlockInfo).blockhash;
    const data = advanceNonceData(account.data, blockhash, LAMPORTS_PER_SIGNATURE);
    accounts.set(address, { ...account, data });
  };
  // LiteSVM advances a nonce from the message's recentBlockhash; agave's bank from its own last
  // blockhash, whatever the message carries (web3.js reuses a blockhash for ~30 s). Signatures
  // are not checked by LiteSVM here, so it gets a copy carrying the slot's blockhash.
  const executionWire = (tx: DecodedTransaction, at: bigint) => {
    const blockhash = (queue.atSlot(at) ?? (queue.atSlot(slot) as BlockInfo)).blockhash;
    return tx.recentBlockhash === blockhash ? tx.wire : replaceBlockhash(tx, blockhash);
  };
  const rememberWrites = (tx: DecodedTransaction, outcome: ExecutionOutcome) => {
    const keys: Address[] = [];
    const before: (SandboxAccount | null)[] = [];
    tx.accountKeys.forEach((key, i) => {
      if (!tx.isWritable[i] || outcome.before[i]?.executable) return;
      keys.push(key as Address);
      before.push(outcome.before[i] ?? null);
    });
    journal.record(slot, keys, before);
  };
  /**
   * Executes in the current slot; the record it returns is not yet published. What it writes is
   * journaled unless the sandbox itself sent it in-process (`journaled` false).
   */
  const land = (
    tx: DecodedTransaction,
    preflightSlot: bigint | undefined,
    executed?: (outcome: ExecutionOutcome) => void,
    journaled = true,
  ): SubmitResult => {
    const { signature } = tx;
    if (isDuplicate(signature)) return rejected(signature, "AlreadyProcessed");
    if (preflightSlot !== undefined && !isRecent(tx, preflightSlot)) {
      return rejected(signature, "BlockhashNotFound");
    }
    if (!isRecent(tx, slot)) return rejected(signature, "BlockhashNotFound");
    svmClock.sync();
    const outcome = executor.execute(tx, executionWire(tx, slot));
    executed?.(outcome);
    const { err, meta } = outcome;
    if (err !== null && (preflightSlot !== undefined || !isCommittedError(err))) {
      if (isCommittedError(err)) executor.rollback(outcome, tx);
      return rejected(signature, err, meta.logMessages, meta.computeUnitsConsumed);
    }
    if (err !== null && !queue.isValid(tx.recentBlockhash, slot)) advanceFailedNonce(tx);
    if (journaled) rememberWrites(tx, outcome);
    const block = queue.atSlot(slot) as BlockInfo;
    const record: TransactionRecord = {
      signature,
      slot,
      blockTime: block.blockTime,
      transaction: tx,
      meta,
    };
    return { landed: true, signature, err, record };
  };
  const pending = createPublicationQueue({
    execute: (tx) => {
      const result = land(tx, undefined);
      return result.landed ? result.record : null;
    },
    publish,
    scheduleEntry(run) {
      if (!clock.running) return false;
      // Held clocks run nothing: the slot's end (an explicit `advance`) executes the deferred.
      const handle = setTimeout(() => clock.running && run(), clock.slotMs / ENTRIES_PER_SLOT);
      handle.unref();
      return true;
    },
  });
  const submitTransaction = (tx: DecodedTransaction, submit: SubmitOptions = {}): SubmitResult => {
    // What RPC clients sent with preflight ran earlier, so it publishes first (execution order);
    // sends without preflight still wait for their entry of the slot.
    pending.publishHeld();
    const result = land(tx, submit.preflightSlot, undefined, false);
    if (result.landed) publish(result.record);
    return result;
  };
  const enqueueTransaction = (
    tx: DecodedTransaction,
    submit: SubmitOptions = {},
  ): EnqueueResult => {
    const { signature } = tx;
    if (submit.preflightSlot === undefined) {
      // Without preflight a duplicate is simply dropped, as a validator drops it.
      if (!isDuplicate(signature)) pending.defer(tx);
      return { accepted: true, signature };
    }
    const result = land(tx, submit.preflightSlot);
    if (!result.landed) return { ...result, accepted: false };
    pending.hold(result.record);
    return { accepted: true, signature };
  };
  // A repeated (recipient, amount) gets an older, still valid blockhash: a new signature, as a
  // validator's faucet makes one per blockhash. Each try is a signing, so the search resumes
  // where it stopped for a (recipient, amount) already airdropped in this slot.
  const airdropResume = new Map<string, bigint>();
  let airdropResumeSlot = slot;
  const buildAirdrop = (address: Address, lamports: bigint) => {
    if (airdropResumeSlot !== slot) airdropResume.clear();
    airdropResumeSlot = slot;
    const key = `${address}:${lamports}`;
    for (
      let at = airdropResume.get(key) ?? slot;
      slot - at < BigInt(BLOCKHASH_VALIDITY_BLOCKS);
      at--
    ) {
      const block = queue.atSlot(at);
      if (!block || !queue.isValid(block.blockhash, slot)) break;
      const tx = decode(faucet.buildTransfer(address, lamports, block.blockhash));
      if (isDuplicate(tx.signature)) continue;
      airdropResume.set(key, at - 1n);
      return tx;
    }
    const { blockhash } = queue.atSlot(slot) as BlockInfo;
    return decode(faucet.buildTransfer(address, lamports, blockhash, airdropNonce++));
  };
  const readAccount = (address: Address) => {
    if (address === SLOT_HASHES_SYSVAR || address === SLOT_HISTORY_SYSVAR) svmClock.sync();
    return accounts.get(address);
  };
  if (!options.manualClock) clock.resume();

  return {
    clock,
    random,
    now,
    faucetAddress: faucet.address,
    genesisHash,
    validator: createSandboxValidator({
      accounts,
      minimumBalance: (length) => svm.minimumBalanceForRentExemption(BigInt(length)),
      genesisSlot,
      slotsPerEpoch: SLOTS_PER_EPOCH,
      now,
      transactionCount: () => store.count,
      onSlot: (listener) => slotListeners.add(listener),
      ...(options.keypairs && {
        identity: getKeypairAddress(options.keypairs.identity),
        voteAccount: getKeypairAddress(options.keypairs.voteAccount),
      }),
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
    getAccount: readAccount,
    getAccountAt(address, atSlot) {
      const earlier = journal.before(address, atSlot, slot);
      return earlier === undefined ? readAccount(address) : earlier;
    },
    getProgramAccounts(owner) {
      if (owner === SYSVAR_OWNER) svmClock.sync();
      return accounts.programAccounts(owner);
    },
    getTokenAccountsByOwner(owner, atSlot) {
      const entries = accounts.tokenAccountsByOwner(owner);
      if (atSlot === undefined) return entries;
      const result: TokenAccountEntry[] = [];
      for (const entry of entries) {
        const earlier = journal.before(entry.address, atSlot, slot);
        if (earlier === undefined) result.push(entry);
        else if (earlier && isTokenProgram(earlier.owner)) {
          const token = readTokenAccount(earlier.data);
          if (token) result.push({ address: entry.address, account: earlier, token });
        }
      }
      return result;
    },
    getTokenAccountsByMint: (mint) => accounts.tokenAccountsByMint(mint),
    setAccount(input) {
      journal.forget(input.address);
      accounts.set(input.address, {
        lamports: input.lamports,
        owner: input.owner ?? ("11111111111111111111111111111111" as Address),
        data: input.data ?? new Uint8Array(),
        executable: input.executable ?? false,
        ...(input.rentEpoch === undefined ? {} : { rentEpoch: input.rentEpoch }),
      });
    },
    minimumBalanceForRentExemption: (length) => svm.minimumBalanceForRentExemption(BigInt(length)),
    airdrop(address, lamports, airdropOptions = {}) {
      const tx = buildAirdrop(address, lamports);
      if (airdropOptions.deferred) {
        const queued = enqueueTransaction(tx, { preflightSlot: slot });
        if (!queued.accepted) throw new Error(`airdrop failed: ${JSON.stringify(queued.err)}`);
      } else {
        const landed = submitTransaction(tx);
        if (landed.err !== null) throw new Error(`airdrop failed: ${JSON.stringify(landed.err)}`);
      }
      return tx.signature;
    },
    decodeTransaction: decode,
    verifySignatures: verify,
    completeSignatures: (wire) => cosigning.complete(wire),
    addCosigner: (cosigner) => cosigning.add(cosigner),
    rememberOwnSignature: (signer, messageBytes, signature) =>
      verifier.rememberOwn(signer, messageBytes, signature),
    simulateTransaction(tx, simulate = {}) {
      const atSlot = simulate.atSlot ?? slot;
      let wire = tx.wire;
      let replacementBlockhash: BlockInfo | null = null;
      if (simulate.replaceRecentBlockhash) {
        replacementBlockhash = queue.atSlot(atSlot) as BlockInfo;
        wire = replaceBlockhash(tx, replacementBlockhash.blockhash);
      } else if (!isRecent(tx, atSlot)) {
        return { ...emptySimulation("BlockhashNotFound"), replacementBlockhash };
      }
      if (isDuplicate(tx.signature))
        return { ...emptySimulation("AlreadyProcessed"), replacementBlockhash };
      svmClock.sync();
      if (!replacementBlockhash) wire = executionWire(tx, slot);
      // Assigned onto the outcome rather than spread, which would read its lazy postAccounts.
      return Object.assign(simulateTransaction(svm, tx.version, wire), { replacementBlockhash });
    },
    submitTransaction,
    enqueueTransaction,
    landBundle(txs) {
      // Preflight sends already run publish first, so block order stays execution order.
      pending.publishHeld();
      return executeBundle(txs, slot, {
        execute(tx) {
          let outcome: ExecutionOutcome | null = null;
          const result = land(tx, undefined, (executed) => {
            outcome = executed;
          });
          const ran = outcome as ExecutionOutcome | null;
          const undo = ran ? () => executor.rollback(ran, tx) : null;
          if (result.landed) return { ok: true, record: result.record, undo: undo ?? (() => {}) };
          return { ok: false, err: result.err, undo };
        },
        publish,
      });
    },
    sendTransaction(input) {
      const wire =
        input instanceof Uint8Array ? input : (getTransactionEncoder().encode(input) as Uint8Array);
      const tx = decode(cosigning.complete(wire));
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
    getBlockRecord: (at) => blocks.get(at),
    getBlockSlots: (start, end) => blocks.slots(start, end),
    get firstAvailableBlock() {
      return blocks.firstAvailable;
    },
    onBlock(listener) {
      blockListeners.add(listener);
      return () => blockListeners.delete(listener);
    },
    snapshot: () => accounts.snapshot(),
    restore: (id) => accounts.restore(id),
    close() {
      clock.pause();
      pending.flush();
      slotListeners.clear();
      txListeners.clear();
      blockListeners.clear();
    },
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
