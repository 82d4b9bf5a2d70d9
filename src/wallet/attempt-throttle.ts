import { OspreyError } from "../core/osprey-error.js";
import type { KvStore } from "../kv/kv-store.js";

export interface AttemptThrottleOptions {
  readonly kv: KvStore;
  /** Attempts allowed per window per key before RATE_LIMITED. */
  readonly maxFailures?: number;
  readonly windowMs?: number;
  readonly prefix?: string;
}

/** An attempt in flight: release it when it did not fail, keep it when it did. */
export interface AttemptTicket {
  release(): Promise<void>;
}

export interface AttemptThrottle {
  /** Counts the attempt against every key first, so concurrent guesses cannot slip past the check. */
  acquire(keys: readonly string[]): Promise<AttemptTicket>;
}

/** Fixed-window failure counters in the kv store, shared by every instance. */
export function createAttemptThrottle(options: AttemptThrottleOptions): AttemptThrottle {
  const { kv } = options;
  const maxFailures = options.maxFailures ?? 5;
  const windowMs = options.windowMs ?? 15 * 60_000;
  const prefix = options.prefix ?? "throttle:";

  // The TTL on the refund keeps a key that expired in between from lingering without one.
  const refund = (keys: readonly string[]) =>
    Promise.all(keys.map((key) => kv.increment(prefix + key, { by: -1, ttlMs: windowMs }))).then(
      () => undefined,
    );

  async function acquire(keys: readonly string[]): Promise<AttemptTicket> {
    const counts = await Promise.all(
      keys.map((key) => kv.increment(prefix + key, { ttlMs: windowMs })),
    );
    const blocked = keys.filter((_, i) => (counts[i] ?? 0) > maxFailures);
    if (blocked.length > 0) {
      await refund(keys);
      const ttls = await Promise.all(blocked.map((key) => kv.ttl(prefix + key)));
      const retryAfterMs = Math.max(...ttls.map((ttl) => ttl ?? windowMs));
      throw new OspreyError("RATE_LIMITED", "Too many failed attempts; retry later.", {
        retryAfterMs,
        maxFailures,
        windowMs,
      });
    }
    let released = false;
    return {
      async release() {
        if (released) return;
        released = true;
        await refund(keys);
      },
    };
  }

  return { acquire };
}
