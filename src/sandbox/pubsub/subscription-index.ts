import type { Commitment } from "../chain/commitment.js";

/** Subscriptions grouped by a key (address, program, signature), so delivery is a lookup. */
export function createKeyedIndex<K, S>() {
  const byKey = new Map<K, Set<S>>();
  const remove = (key: K, subscription: S) => {
    const set = byKey.get(key);
    if (!set) return;
    set.delete(subscription);
    if (set.size === 0) byKey.delete(key);
  };
  return {
    /** Adds the subscription; returns what detaches it again (a subscription's `detach`). */
    add(key: K, subscription: S): () => void {
      const set = byKey.get(key);
      if (set) set.add(subscription);
      else byKey.set(key, new Set([subscription]));
      return () => remove(key, subscription);
    },
    remove,
    get: (key: K): ReadonlySet<S> | undefined => byKey.get(key),
    get size() {
      return byKey.size;
    },
  };
}

export type KeyedIndex<K, S> = ReturnType<typeof createKeyedIndex<K, S>>;

/** One keyed index per commitment level: each level is delivered at its own time. */
export function createCommitmentIndexes<K, S>(): Record<Commitment, KeyedIndex<K, S>> {
  return {
    processed: createKeyedIndex<K, S>(),
    confirmed: createKeyedIndex<K, S>(),
    finalized: createKeyedIndex<K, S>(),
  };
}
