import type { SandboxChain } from "../../chain/sandbox-chain.js";
import type { TransactionRecord } from "../../chain/transaction-store.js";

/** A sealed block as the block methods read it (the chain's BlockRecord). */
export interface SealedBlock {
  slot: bigint;
  parentSlot: bigint;
  blockhash: string;
  previousBlockhash: string;
  blockHeight: bigint;
  blockTime: number;
  transactions: readonly TransactionRecord[];
}

export interface BlockSource {
  getBlockRecord(slot: bigint): SealedBlock | undefined;
  getBlockSlots(start: bigint, end: bigint): bigint[];
  readonly firstAvailableBlock: bigint;
}

const DEFAULT_HASH = "11111111111111111111111111111111";

// TEMPORARY until i18-core lands chain.getBlockRecord: blocks rebuilt from the blockhash queue.
export function getBlockSource(chain: SandboxChain): BlockSource {
  const retained = (slot: bigint) => chain.getBlock(slot).slot === slot;
  const sealed = (slot: bigint) => slot < chain.getSlot("processed") && retained(slot);
  const first = () => {
    let slot = chain.getSlot("processed") - 600n;
    while (!retained(slot)) slot += 1n;
    return slot;
  };
  return {
    getBlockRecord(slot) {
      if (!sealed(slot)) return undefined;
      const info = chain.getBlock(slot);
      const parentSlot = slot > first() ? slot - 1n : slot;
      return {
        slot,
        parentSlot,
        blockhash: info.blockhash,
        previousBlockhash: parentSlot < slot ? chain.getBlock(parentSlot).blockhash : DEFAULT_HASH,
        blockHeight: info.blockHeight,
        blockTime: info.blockTime,
        transactions: chain.getTransactionsInSlot(slot),
      };
    },
    getBlockSlots(start, end) {
      const slots: bigint[] = [];
      for (let slot = start > first() ? start : first(); slot <= end && sealed(slot); slot++)
        slots.push(slot);
      return slots;
    },
    get firstAvailableBlock() {
      return first();
    },
  };
}
