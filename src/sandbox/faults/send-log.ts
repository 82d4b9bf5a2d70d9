/** Who received a send: RPC endpoint `rpc:<index>`, the block engine, or the sender. */
export type SendRoute = `rpc:${number}` | "jito" | "sender";

/** One send as a route received it. */
export interface SendLogEntry {
  readonly route: SendRoute;
  /** `sendTransaction`, or `sendBundle` (one entry per transaction of the bundle). */
  readonly method: string;
  /** The transaction's id (first signature). */
  readonly signature: string;
  /** Wall-clock ms when it arrived. */
  readonly at: number;
  /** True when the route answered but the transaction never went on (fault drop, or refused). */
  readonly dropped: boolean;
  /** Why a private route refused it (its JSON-RPC error message); absent when accepted. */
  readonly error?: string;
}

export interface SendLog {
  record(entry: Omit<SendLogEntry, "at">): void;
  /** Oldest first; only the transaction's sends when `signature` is given. */
  list(filter?: { signature?: string }): SendLogEntry[];
  readonly size: number;
}

export const DEFAULT_SEND_LOG_CAPACITY = 100_000;

/**
 * Every send any sandbox route received, so tests can assert where a transaction went (a
 * protected order must never reach a public endpoint). A bounded ring: past `capacity` the
 * oldest entries go.
 */
export function createSendLog(options: { capacity?: number; now?: () => number } = {}): SendLog {
  const capacity = options.capacity ?? DEFAULT_SEND_LOG_CAPACITY;
  const now = options.now ?? Date.now;
  const ring: SendLogEntry[] = [];
  let next = 0;
  const ordered = () =>
    ring.length < capacity ? ring : [...ring.slice(next), ...ring.slice(0, next)];
  return {
    record(entry) {
      const full = { ...entry, at: now() };
      if (ring.length < capacity) ring.push(full);
      else ring[next] = full;
      next = (next + 1) % capacity;
    },
    list(filter = {}) {
      const all = ordered();
      const { signature } = filter;
      return signature === undefined ? [...all] : all.filter((e) => e.signature === signature);
    },
    get size() {
      return ring.length;
    },
  };
}
