/**
 * The sandbox chain: LiteSVM behind Solana's JSON-RPC and PubSub protocols.
 *
 * - `createSandboxChain` — the ledger and its slot clock, in-process, no network.
 * - `startSandbox` — N RPC endpoints (RPC on port + 2i, PubSub on port + 2i + 1) over one chain,
 *   each with its own fault profile; admin routes under `/sandbox/…` on every endpoint.
 */
export type { BlockRecord } from "./chain/block-store.js";
export type { BlockInfo } from "./chain/blockhash-queue.js";
export { BLOCKHASH_VALIDITY_BLOCKS } from "./chain/blockhash-queue.js";
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
  type FaultProfile,
  type FaultProfileInput,
  faultProfileChangeSchema,
  faultProfileSchema,
  HEALTHY_PROFILE,
} from "./faults/fault-profile.js";
export {
  type RunningSandbox,
  type StartSandboxOptions,
  startSandbox,
} from "./server/start-sandbox.js";
