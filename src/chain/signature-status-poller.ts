import type { GetBlockHeightApi, GetSignatureStatusesApi, Rpc, Signature } from "@solana/kit";
import type { Clock } from "../core/clock.js";
import type { Timers } from "./timers.js";

export type SignatureStatus = NonNullable<
  Awaited<
    ReturnType<ReturnType<Rpc<GetSignatureStatusesApi>["getSignatureStatuses"]>["send"]>
  >["value"][number]
>;

export interface PollUpdate {
  /** Null while no node answered for this signature in its recent status cache. */
  readonly status: SignatureStatus | null;
  /** Block height at `confirmed`, read at most one slot (400 ms) before this round. */
  readonly blockHeight: bigint;
}

export interface SignatureStatusPoller {
  /** Calls `listener` after every round until the returned function is called. */
  watch(signature: Signature, listener: (update: PollUpdate) => void): () => void;
  size(): number;
  close(): void;
}

export interface SignatureStatusPollerOptions {
  readonly rpc: Rpc<GetSignatureStatusesApi & GetBlockHeightApi>;
  readonly timers: Timers;
  /** Times the rounds, so a slow answer does not stretch the interval between them. */
  readonly clock: Clock;
  /** From the start of one round to the start of the next (default 400 ms, one slot). */
  readonly intervalMs?: number;
  readonly onError?: (error: unknown) => void;
}

/** getSignatureStatuses accepts at most 256 signatures per call. */
const BATCH = 256;
/** The block height moves once a slot; it only decides expiry, hundreds of slots away. */
const BLOCK_HEIGHT_MAX_AGE_MS = 400;

/**
 * One polling loop shared by every landing in flight: each round costs one batched
 * getSignatureStatuses (per 256 signatures), plus a getBlockHeight once a slot, however many
 * are tracked. Rounds start `intervalMs` apart, however long the last one's answer took.
 */
export function createSignatureStatusPoller(
  options: SignatureStatusPollerOptions,
): SignatureStatusPoller {
  const { rpc, timers, clock } = options;
  const intervalMs = options.intervalMs ?? 400; // one slot
  const watchers = new Map<Signature, Set<(update: PollUpdate) => void>>();
  let handle: unknown;
  let closed = false;
  let running = false;
  let blockHeightRead: { readonly at: number; readonly value: Promise<bigint> } | undefined;

  function schedule(delayMs = intervalMs): void {
    if (closed || running || handle !== undefined || watchers.size === 0) return;
    handle = timers.setTimeout(() => {
      handle = undefined;
      running = true;
      const startedAt = clock.now();
      round()
        .catch((error: unknown) => options.onError?.(error))
        .finally(() => {
          running = false;
          schedule(Math.max(0, intervalMs - (clock.now() - startedAt)));
        });
    }, delayMs);
  }

  function readBlockHeight(): Promise<bigint> {
    const now = clock.now();
    if (blockHeightRead === undefined || now - blockHeightRead.at >= BLOCK_HEIGHT_MAX_AGE_MS) {
      const value = rpc.getBlockHeight({ commitment: "confirmed" }).send();
      // A failed read is not kept: the next round asks again.
      value.catch(() => {
        if (blockHeightRead?.value === value) blockHeightRead = undefined;
      });
      blockHeightRead = { at: now, value };
    }
    return blockHeightRead.value;
  }

  async function round(): Promise<void> {
    const signatures = [...watchers.keys()];
    const batches: Signature[][] = [];
    for (let i = 0; i < signatures.length; i += BATCH) batches.push(signatures.slice(i, i + BATCH));
    const [blockHeight, ...results] = await Promise.all([
      readBlockHeight(),
      ...batches.map((batch) => rpc.getSignatureStatuses(batch).send()),
    ]);
    const statuses = results.flatMap((result) => result.value);
    for (const [index, signature] of signatures.entries()) {
      const update = { status: statuses[index] ?? null, blockHeight };
      for (const listener of [...(watchers.get(signature) ?? [])]) listener(update);
    }
  }

  return {
    watch(signature, listener) {
      const set = watchers.get(signature) ?? new Set();
      set.add(listener);
      watchers.set(signature, set);
      schedule();
      return () => {
        set.delete(listener);
        if (set.size === 0 && watchers.get(signature) === set) watchers.delete(signature);
        if (watchers.size === 0 && handle !== undefined) {
          timers.clearTimeout(handle);
          handle = undefined;
        }
      };
    },
    size: () => watchers.size,
    close() {
      closed = true;
      if (handle !== undefined) timers.clearTimeout(handle);
      handle = undefined;
    },
  };
}
