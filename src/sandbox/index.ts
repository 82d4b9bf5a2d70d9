/**
 * The sandbox chain: LiteSVM behind Solana's JSON-RPC and PubSub protocols.
 *
 * - `createSandboxChain` — the ledger and its slot clock, in-process, no network.
 * - `startSandbox` — N RPC endpoints (RPC on port + 2i, PubSub on port + 2i + 1) over one chain,
 *   each with its own fault profile; admin routes under `/sandbox/…` on every endpoint; a
 *   Jito-compatible block engine and a tipped sender (`block-engine/README.md`).
 */
export type {
  BundleStatus,
  InflightBundleStatus,
  InflightStatus,
} from "./block-engine/block-engine.js";
export { getBundleId } from "./block-engine/bundle-id.js";
export {
  DONT_FRONT_PREFIX,
  MAX_BUNDLE_TRANSACTIONS,
} from "./block-engine/bundle-rules.js";
export {
  type RunningBlockEngine,
  type StartBlockEngineOptions,
  startBlockEngine,
} from "./block-engine/start-block-engine.js";
export {
  deriveTipAccounts,
  MIN_TIP_LAMPORTS,
  TIP_ACCOUNT_COUNT,
} from "./block-engine/tip-accounts.js";
export type { TipFloorEntry } from "./block-engine/tip-floor.js";
export type { BlockRecord } from "./chain/block-store.js";
export type { BlockInfo } from "./chain/blockhash-queue.js";
export { BLOCKHASH_VALIDITY_BLOCKS } from "./chain/blockhash-queue.js";
export type { BundleResult } from "./chain/bundle-execution.js";
export type { Commitment } from "./chain/commitment.js";
export type { DecodedTransaction } from "./chain/decoded-transaction.js";
export type { SandboxAccount } from "./chain/ledger-accounts.js";
export { createSeededRandom, type RandomSource } from "./chain/random-source.js";
export {
  createSandboxChain,
  type EnqueueResult,
  type RejectedTransaction,
  type SandboxChain,
  type SandboxChainOptions,
  type SetAccountInput,
  type SimulationResult,
  type SubmitResult,
} from "./chain/sandbox-chain.js";
export { SandboxError, type SandboxErrorCode } from "./chain/sandbox-error.js";
export type { SlotClock, Timer } from "./chain/slot-clock.js";
export type { TransactionErrorJson } from "./chain/transaction-error.js";
export type { TokenBalance, TransactionRecord } from "./chain/transaction-store.js";
export type { SandboxValidator } from "./chain/validator-accounts.js";
export type { Cosigner } from "./chain/validator-cosigning.js";
export { TOKEN_2022_PROGRAM, TOKEN_PROGRAM } from "./encoding/token-layout.js";
export {
  FAULT_PRESETS,
  type FaultPresetName,
  type FaultProfile,
  type FaultProfileInput,
  faultProfileChangeSchema,
  faultProfileSchema,
  HEALTHY_PROFILE,
} from "./faults/fault-profile.js";
export {
  createSendLog,
  type SendLog,
  type SendLogEntry,
  type SendRoute,
} from "./faults/send-log.js";
export {
  type RunningSandbox,
  type StartSandboxOptions,
  startSandbox,
} from "./server/start-sandbox.js";
