import { createHash } from "node:crypto";
import { getBase58Decoder } from "@solana/kit";

/** Blocks a blockhash stays usable for, as on mainnet (MAX_PROCESSING_AGE). */
export const BLOCKHASH_VALIDITY_BLOCKS = 150;
/** Slots of history kept: the validity window plus room for lagging endpoints and finality. */
const RETAINED_SLOTS = 600;

export interface BlockInfo {
  slot: bigint;
  blockHeight: bigint;
  blockhash: string;
  /** Unix seconds at which the slot began. */
  blockTime: number;
}

/**
 * The record of recent blockhashes (LiteSVM's, one per slot: see svm-clock.ts). LiteSVM itself
 * accepts only its latest one, so the sandbox disables its check and decides validity here, by
 * block height as mainnet does.
 */
export interface BlockhashQueue {
  push(block: BlockInfo): void;
  atSlot(slot: bigint): BlockInfo | undefined;
  find(blockhash: string): BlockInfo | undefined;
  /** True when `blockhash` was produced at or before `atSlot` and is at most 150 blocks old there. */
  isValid(blockhash: string, atSlot: bigint): boolean;
}

/** A hash from a seed: the genesis hash, which no slot's blockhash is. */
export function deriveBlockhash(seed: string, slot: bigint): string {
  const digest = createHash("sha256").update(`${seed}:${slot}`).digest();
  return getBase58Decoder().decode(digest);
}

export function createBlockhashQueue(): BlockhashQueue {
  const bySlot = new Map<bigint, BlockInfo>();
  const byHash = new Map<string, BlockInfo>();
  let oldest: bigint | null = null;
  return {
    push(block) {
      bySlot.set(block.slot, block);
      byHash.set(block.blockhash, block);
      oldest ??= block.slot;
      while (oldest !== null && block.slot - oldest >= RETAINED_SLOTS) {
        const old = bySlot.get(oldest);
        if (old) byHash.delete(old.blockhash);
        bySlot.delete(oldest);
        oldest += 1n;
      }
    },
    atSlot(slot) {
      return bySlot.get(slot);
    },
    find(blockhash) {
      return byHash.get(blockhash);
    },
    isValid(blockhash, atSlot) {
      const block = byHash.get(blockhash);
      const at = bySlot.get(atSlot);
      if (!block || !at || block.slot > atSlot) return false;
      return at.blockHeight <= block.blockHeight + BigInt(BLOCKHASH_VALIDITY_BLOCKS);
    },
  };
}
