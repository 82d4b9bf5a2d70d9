import type { Blockhash, Commitment, GetLatestBlockhashApi, Rpc } from "@solana/kit";
import type { Clock } from "../core/index.js";
import type { Timers } from "./timers.js";

export interface CachedBlockhash {
  readonly blockhash: Blockhash;
  readonly lastValidBlockHeight: bigint;
  /** Clock time of the fetch. */
  readonly fetchedAt: number;
}

export interface BlockhashCache {
  /** Fetches once, then refreshes in the background every `refreshMs`. */
  start(): Promise<void>;
  stop(): void;
  /** The cached blockhash if fresh enough; otherwise fetches one now. */
  get(): Promise<CachedBlockhash>;
  peek(): CachedBlockhash | undefined;
}

export interface BlockhashCacheOptions {
  readonly rpc: Rpc<GetLatestBlockhashApi>;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly refreshMs?: number;
  /** Older than this, `get` fetches instead of serving the cache; default 3 × refreshMs. */
  readonly maxAgeMs?: number;
  readonly commitment?: Commitment;
  readonly onError?: (error: unknown) => void;
}

/** Keeps a recent blockhash at hand so building a transaction costs no round trip. */
export function createBlockhashCache(options: BlockhashCacheOptions): BlockhashCache {
  const { rpc, clock, timers } = options;
  const refreshMs = options.refreshMs ?? 2_000;
  const maxAgeMs = options.maxAgeMs ?? refreshMs * 3;
  let cached: CachedBlockhash | undefined;
  let inFlight: Promise<CachedBlockhash> | undefined;
  let handle: unknown;
  let running = false;

  function fetchNow(): Promise<CachedBlockhash> {
    // Concurrent callers share one request.
    inFlight ??= rpc
      .getLatestBlockhash({ commitment: options.commitment ?? "confirmed" })
      .send()
      .then(({ value }) => {
        cached = { ...value, fetchedAt: clock.now() };
        return cached;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  }

  function schedule(): void {
    if (!running) return;
    handle = timers.setTimeout(() => {
      fetchNow()
        .catch((error: unknown) => options.onError?.(error))
        .finally(schedule);
    }, refreshMs);
  }

  return {
    async start() {
      if (running) return;
      running = true;
      try {
        await fetchNow();
      } finally {
        schedule();
      }
    },
    stop() {
      running = false;
      if (handle !== undefined) timers.clearTimeout(handle);
      handle = undefined;
    },
    async get() {
      if (cached !== undefined && clock.now() - cached.fetchedAt <= maxAgeMs) return cached;
      return fetchNow();
    },
    peek: () => cached,
  };
}
