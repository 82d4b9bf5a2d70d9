import type { GetBlockHeightApi, GetSignatureStatusesApi, Rpc, Signature } from "@solana/kit";
import type { Timers } from "./timers.js";

export type SignatureStatus = NonNullable<
  Awaited<
    ReturnType<ReturnType<Rpc<GetSignatureStatusesApi>["getSignatureStatuses"]>["send"]>
  >["value"][number]
>;

export interface PollUpdate {
  /** Null while no node answered for this signature in its recent status cache. */
  readonly status: SignatureStatus | null;
  /** Block height at `confirmed`, read in the same round. */
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
  readonly intervalMs?: number;
  readonly onError?: (error: unknown) => void;
}

/** getSignatureStatuses accepts at most 256 signatures per call. */
const BATCH = 256;

/**
 * One polling loop shared by every landing in flight: each round costs one batched
 * getSignatureStatuses (per 256 signatures) and one getBlockHeight, however many are tracked.
 */
export function createSignatureStatusPoller(
  options: SignatureStatusPollerOptions,
): SignatureStatusPoller {
  const { rpc, timers } = options;
  const intervalMs = options.intervalMs ?? 400; // one slot
  const watchers = new Map<Signature, Set<(update: PollUpdate) => void>>();
  let handle: unknown;
  let closed = false;
  let running = false;

  function schedule(): void {
    if (closed || running || handle !== undefined || watchers.size === 0) return;
    handle = timers.setTimeout(() => {
      handle = undefined;
      running = true;
      round()
        .catch((error: unknown) => options.onError?.(error))
        .finally(() => {
          running = false;
          schedule();
        });
    }, intervalMs);
  }

  async function round(): Promise<void> {
    const signatures = [...watchers.keys()];
    const batches: Signature[][] = [];
    for (let i = 0; i < signatures.length; i += BATCH) batches.push(signatures.slice(i, i + BATCH));
    const [blockHeight, ...results] = await Promise.all([
      rpc.getBlockHeight({ commitment: "confirmed" }).send(),
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
