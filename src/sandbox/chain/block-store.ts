import type { TransactionRecord } from "./transaction-store.js";

/** A sealed block: every slot the sandbox produces has one (no skipped slots). */
export interface BlockRecord {
  slot: bigint;
  parentSlot: bigint;
  /** This slot's blockhash (LiteSVM's). */
  blockhash: string;
  /** The parent's blockhash. */
  previousBlockhash: string;
  blockHeight: bigint;
  /** Unix seconds. */
  blockTime: number;
  /** Execution order. */
  transactions: readonly TransactionRecord[];
}

/** Default blocks kept: ten hours of 400 ms slots. */
export const DEFAULT_BLOCK_RETENTION = 90_000;

export interface BlockStore {
  /** Oldest retained block's slot (the next block's slot while none is sealed). */
  readonly firstAvailable: bigint;
  /** Appends a sealed block; returns the blocks that fell out of retention, oldest first. */
  add(block: BlockRecord): BlockRecord[];
  get(slot: bigint): BlockRecord | undefined;
  /** Retained slots in [start, end], ascending. */
  slots(start: bigint, end: bigint): bigint[];
}

/**
 * Sealed blocks, one per slot in ascending slot order with no gaps, kept in an array indexed by
 * slot offset so that a lookup and a range are O(1) and O(range), whatever the history length.
 */
export function createBlockStore(
  firstSlot: bigint,
  retention = DEFAULT_BLOCK_RETENTION,
): BlockStore {
  if (!Number.isInteger(retention) || retention < 1)
    throw new RangeError(`block retention must be a positive integer, got ${retention}`);
  let blocks: BlockRecord[] = [];
  // Slot of blocks[head]; pruning advances `head`, compacting the array now and then.
  let head = 0;
  let first = firstSlot;
  const at = (slot: bigint) => {
    if (slot < first) return undefined;
    return blocks[head + Number(slot - first)];
  };
  return {
    get firstAvailable() {
      return first;
    },
    add(block) {
      const expected = first + BigInt(blocks.length - head);
      if (block.slot !== expected)
        throw new RangeError(`block ${block.slot} sealed out of order (expected ${expected})`);
      blocks.push(block);
      const pruned: BlockRecord[] = [];
      while (blocks.length - head > retention) {
        pruned.push(blocks[head] as BlockRecord);
        head += 1;
        first += 1n;
      }
      if (head > 1024 && head > blocks.length / 2) {
        blocks = blocks.slice(head);
        head = 0;
      }
      return pruned;
    },
    get: at,
    slots(start, end) {
      const last = first + BigInt(blocks.length - head) - 1n;
      const slots: bigint[] = [];
      let slot = first;
      if (start > slot) slot = start;
      for (; slot <= end && slot <= last; slot++) slots.push(slot);
      return slots;
    },
  };
}
