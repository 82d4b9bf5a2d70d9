import type { Commitment } from "../chain/commitment.js";
import type { SandboxChain } from "../chain/sandbox-chain.js";
import { RpcError, RpcErrorCode } from "./rpc-error.js";

/** The version the sandbox claims: response shapes follow agave 2.x. */
export const API_VERSION = "2.2.0";

/** What one request sees: the shared chain through one endpoint's faults. */
export interface RpcContext {
  readonly chain: SandboxChain;
  /** Slots this endpoint lags behind the tip (stale-read fault). */
  readonly lag: number;
  /** Decides, per send, whether this endpoint silently drops the transaction. */
  shouldDropSend(): boolean;
  /** Records a send this endpoint received in the sandbox's send log; absent in-process. */
  recordSend?(method: string, signature: string, dropped: boolean): void;
  /** Congestion: ms an accepted send waits before it reaches the chain (0 or absent: none). */
  readonly sendDelayMs?: number;
  /** Runs `deliver` after `sendDelayMs` (the endpoint owns the timer); absent in-process. */
  delaySend?(deliver: () => void): void;
  /** Where this endpoint listens (getClusterNodes advertises it); absent in-process. */
  readonly endpoint?: { host: string; rpcPort: number; wsPort: number };
}

export interface ResponseContext {
  context: { slot: bigint; apiVersion: string };
}

export function slotAt(ctx: RpcContext, commitment: Commitment | undefined): bigint {
  return ctx.chain.getSlot(commitment ?? "finalized", ctx.lag);
}

export function withContext<T>(slot: bigint, value: T): ResponseContext & { value: T } {
  return { context: { slot, apiVersion: API_VERSION }, value };
}

/** Mainnet refuses a read whose bank is older than the caller's `minContextSlot`. */
export function assertMinContextSlot(slot: bigint, minContextSlot: number | undefined): void {
  if (minContextSlot !== undefined && slot < BigInt(minContextSlot)) {
    throw new RpcError(
      RpcErrorCode.MIN_CONTEXT_SLOT_NOT_REACHED,
      "Minimum context slot has not been reached",
      {
        contextSlot: slot,
      },
    );
  }
}

/** Resolves commitment + minContextSlot from a config into the slot the request reads at. */
export function readSlot(
  ctx: RpcContext,
  config: { commitment?: Commitment | undefined; minContextSlot?: number | undefined } | undefined,
) {
  const slot = slotAt(ctx, config?.commitment);
  assertMinContextSlot(slot, config?.minContextSlot);
  return slot;
}
