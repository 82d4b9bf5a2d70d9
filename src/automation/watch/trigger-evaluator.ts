import { compile, type Entry, formatPriceUsd, type WatchedTrigger } from "./compile-trigger.js";

export { formatPriceUsd, type WatchedTrigger };

/** A fresh USD price of a mint and when it was fetched. */
export interface MintPrice {
  readonly usd: number;
  readonly at: number;
}

/** A trigger whose condition held on this tick's price. */
export interface Crossing<T extends WatchedTrigger = WatchedTrigger> {
  readonly trigger: T;
  readonly priceUsd: number;
  readonly solUsd: number;
  readonly crossedAt: number;
}

/** A trailing stop's new highest price, for the caller to persist (at most one per tick). */
export interface HighWaterUpdate {
  readonly triggerId: string;
  readonly priceUsd: string;
}

export interface Evaluation<T extends WatchedTrigger = WatchedTrigger> {
  readonly crossings: Crossing<T>[];
  readonly highWaters: HighWaterUpdate[];
}

/**
 * The in-memory index of ARMED triggers by mint, and the fire conditions
 * (/work CONTRACTS20 "Fire conditions"). Pure: no I/O, no clock of its own.
 */
export function createTriggerEvaluator<T extends WatchedTrigger = WatchedTrigger>() {
  const byMint = new Map<string, Map<string, Entry<T>>>();
  const byId = new Map<string, Entry<T>>();

  function remove(id: string): void {
    const entry = byId.get(id);
    if (!entry) return;
    byId.delete(id);
    const group = byMint.get(entry.trigger.mint);
    group?.delete(id);
    if (group?.size === 0) byMint.delete(entry.trigger.mint);
  }

  function add(trigger: T): void {
    const current = byId.get(trigger.id);
    // Same row version: keep the entry (and the high-water it may have raised since).
    if (current && current.trigger.updatedAt === trigger.updatedAt) return;
    remove(trigger.id);
    const entry = compile(trigger);
    byId.set(trigger.id, entry);
    const group = byMint.get(trigger.mint) ?? new Map<string, Entry<T>>();
    byMint.set(trigger.mint, group);
    group.set(trigger.id, entry);
  }

  /** Makes the index exactly `triggers` (the armed rows just read), reusing unchanged entries. */
  function replace(triggers: readonly T[]): void {
    const keep = new Set<string>();
    for (const trigger of triggers) {
      keep.add(trigger.id);
      add(trigger);
    }
    for (const id of [...byId.keys()]) if (!keep.has(id)) remove(id);
  }

  /**
   * One tick: every trigger on a mint with a fresh price is checked. A crossing leaves the
   * index (its firing is in flight); the caller re-adds it if it goes back to ARMED.
   */
  function evaluate(
    prices: ReadonlyMap<string, MintPrice>,
    solUsd: number,
    now: number,
  ): Evaluation<T> {
    const crossings: Crossing<T>[] = [];
    const highWaters: HighWaterUpdate[] = [];
    for (const [mint, price] of prices) {
      const group = byMint.get(mint);
      if (!group) continue;
      const usd = price.usd;
      for (const entry of group.values()) {
        let fires: boolean;
        switch (entry.kind) {
          case "below":
            fires = usd <= entry.level;
            break;
          case "above":
            fires = usd >= entry.level;
            break;
          case "trailing":
            if (!(usd <= entry.level)) {
              // A new high (or the first price): raise the mark, never fire on the same tick.
              entry.level = usd;
              highWaters.push({ triggerId: entry.trigger.id, priceUsd: formatPriceUsd(usd) });
              fires = false;
            } else fires = usd <= entry.level * entry.trailFactor;
            break;
          case "dca":
            // Outside the band the buy waits; it is not skipped.
            fires = now >= entry.level && usd >= entry.min && usd <= entry.max;
            break;
        }
        if (fires)
          crossings.push({ trigger: entry.trigger, priceUsd: usd, solUsd, crossedAt: now });
      }
    }
    for (const crossing of crossings) remove(crossing.trigger.id);
    return { crossings, highWaters };
  }

  return {
    add,
    remove,
    replace,
    evaluate,
    /** The indexed triggers. */
    *triggers(): IterableIterator<T> {
      for (const entry of byId.values()) yield entry.trigger;
    },
    get size() {
      return byId.size;
    },
    /** The mints with armed triggers: what the watcher fetches prices for. */
    mints: (): string[] => [...byMint.keys()],
    /** Armed triggers by type, for the gauge. */
    countByType(): Map<string, number> {
      const counts = new Map<string, number>();
      for (const entry of byId.values()) {
        counts.set(entry.trigger.type, (counts.get(entry.trigger.type) ?? 0) + 1);
      }
      return counts;
    },
  };
}

export type TriggerEvaluator<T extends WatchedTrigger = WatchedTrigger> = ReturnType<
  typeof createTriggerEvaluator<T>
>;
