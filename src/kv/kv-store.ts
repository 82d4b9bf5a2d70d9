/**
 * The small key-value interface behind sessions, caches and rate limits.
 * Memory and Redis implementations pass one contract test (test/kv/kv-contract.test.ts).
 * TTLs are in milliseconds; a missing ttlMs means the key does not expire.
 */
export interface KvSetOptions {
  readonly ttlMs?: number;
}

export interface KvStore {
  readonly kind: "memory" | "redis";
  get(key: string): Promise<string | null>;
  set(key: string, value: string, options?: KvSetOptions): Promise<void>;
  /** Removes the key; true when it existed. */
  delete(key: string): Promise<boolean>;
  /** Sets a new TTL on an existing key; false when the key does not exist. */
  expire(key: string, ttlMs: number): Promise<boolean>;
  /** Remaining TTL in ms; null when the key is missing or never expires. */
  ttl(key: string): Promise<number | null>;
  /**
   * Atomically adds `by` (default 1) and returns the new value. The TTL is set only when the
   * increment creates the key, so a fixed window is not extended by later hits.
   */
  increment(key: string, options?: KvSetOptions & { readonly by?: number }): Promise<number>;
  /** Adds members to a set; the TTL, if given, is (re)applied to the whole set. */
  setAdd(key: string, members: readonly string[], options?: KvSetOptions): Promise<void>;
  setRemove(key: string, members: readonly string[]): Promise<void>;
  setMembers(key: string): Promise<string[]>;
  /**
   * Writes `next` only if the current value equals `expected` (null: key absent); `next` null
   * deletes. Returns whether the write happened. Atomic on every implementation.
   */
  compareAndSet(
    key: string,
    expected: string | null,
    next: string | null,
    options?: KvSetOptions,
  ): Promise<boolean>;
  /** Throws when the store cannot be reached; used by /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
