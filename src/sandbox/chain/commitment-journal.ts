import type { Address } from "@solana/kit";
import { COMMITMENT_DEPTH } from "./commitment.js";
import type { SandboxAccount } from "./ledger-accounts.js";

/**
 * What lets an account read at `confirmed` or `finalized` see the state of that slot rather than
 * the tip's: for each recent slot, the accounts that transactions landed in it first wrote, as
 * they were before. A read at slot S takes, for an address, the pre-image of the earliest slot
 * after S that wrote it, or the tip's state when none did.
 *
 * Only transactions that arrive as a cluster's would (RPC sends, bundles) are journaled: what the
 * sandbox writes in-process (setup, admin airdrops, the market's bots) is visible at every level
 * at once, as genesis state would be. An admin `setAccount` forgets the address's pre-images.
 */
export interface CommitmentJournal {
  /** Remembers `before` for each key a transaction landed in `slot` wrote, unless it wrote it already. */
  record(slot: bigint, keys: readonly Address[], before: readonly (SandboxAccount | null)[]): void;
  /**
   * The account as it was at `atSlot` when a journaled transaction wrote it since (null: it did
   * not exist then), or undefined when nothing since has: the tip's state is the answer.
   */
  before(address: Address, atSlot: bigint, tip: bigint): SandboxAccount | null | undefined;
  forget(address: Address): void;
  /** Drops the slots no commitment level reads any more. */
  prune(tip: bigint): void;
}

export function createCommitmentJournal(): CommitmentJournal {
  const slots = new Map<bigint, Map<Address, SandboxAccount | null>>();
  return {
    record(slot, keys, before) {
      let written = slots.get(slot);
      if (!written) {
        written = new Map();
        slots.set(slot, written);
      }
      keys.forEach((key, i) => {
        if (!written.has(key)) written.set(key, before[i] ?? null);
      });
    },
    before(address, atSlot, tip) {
      if (slots.size === 0 || atSlot >= tip) return undefined;
      for (let at = atSlot + 1n; at <= tip; at++) {
        const written = slots.get(at);
        if (written?.has(address)) return written.get(address) ?? null;
      }
      return undefined;
    },
    forget(address) {
      for (const written of slots.values()) written.delete(address);
    },
    prune(tip) {
      for (const at of slots.keys()) {
        if (tip - at >= COMMITMENT_DEPTH.finalized) slots.delete(at);
      }
    },
  };
}
