import { Clock, EpochSchedule, type LiteSvm, type SlotHashInput } from "litesvm/dist/internal.js";

export const SLOTS_PER_EPOCH = 432_000n;
/** Entries the SlotHashes sysvar holds (agave's slot_hashes::MAX_ENTRIES). */
export const SLOT_HASHES_MAX_ENTRIES = 512;
/** Slots the SlotHistory bitvector covers (agave's slot_history::MAX_ENTRIES). */
const SLOT_HISTORY_SLOTS = 1_048_576n;

/**
 * LiteSVM's own clock, driven slot by slot by the sandbox: what programs see through the Clock,
 * SlotHashes and SlotHistory sysvars and what durable nonces advance to (its latest blockhash).
 */
export interface SvmClock {
  /** Starts `slot` in LiteSVM: a fresh blockhash (returned) and the Clock sysvar at `blockTime`. */
  startSlot(slot: bigint, blockTime: number): string;
  /**
   * Writes SlotHashes and SlotHistory, which are only rewritten when something may read them
   * (an execution, a simulation, an account read): 512 entries cost ~0.5 ms, too much per slot
   * when a test advances thousands of slots at once.
   */
  sync(): void;
}

export function createSvmClock(svm: LiteSvm, options: { prelude: number }): SvmClock {
  // LiteSVM's blockhashes are a fixed hash chain: a random number of links first keeps two
  // sandboxes from sharing blockhashes (and signed transactions).
  for (let i = 0; i < options.prelude; i++) svm.expireBlockhash();
  // Epochs of equal length from slot 0, as the sandbox's getEpochSchedule reports (no warmup).
  svm.setEpochSchedule(new EpochSchedule(SLOTS_PER_EPOCH, SLOTS_PER_EPOCH, false, 0n, 0n));
  // Newest last here (cheap push); the sysvar wants newest first.
  const recent: SlotHashInput[] = [];
  let current: { slot: bigint; hash: string } | null = null;
  let epoch = -1n;
  let epochStartTimestamp = 0n;
  let syncedHistory: bigint | null = null;
  let dirty = true;
  return {
    startSlot(slot, blockTime) {
      // A slot's parent enters SlotHashes when the slot begins, as a bank's does.
      syncedHistory ??= slot - 1n;
      if (current) {
        recent.push(current);
        if (recent.length > SLOT_HASHES_MAX_ENTRIES) recent.shift();
      }
      svm.expireBlockhash();
      const hash = svm.latestBlockhash();
      current = { slot, hash };
      const slotEpoch = slot / SLOTS_PER_EPOCH;
      if (slotEpoch !== epoch) {
        epoch = slotEpoch;
        epochStartTimestamp = BigInt(blockTime);
      }
      svm.setClock(new Clock(slot, epochStartTimestamp, epoch, epoch + 1n, BigInt(blockTime)));
      dirty = true;
      return hash;
    },
    sync() {
      if (!dirty || !current || syncedHistory === null) return;
      dirty = false;
      svm.setSlotHashes(recent.slice().reverse());
      const history = svm.getSlotHistory();
      // The bitvector covers the last 1M slots: older ones wrap around and need no adding.
      const oldest = current.slot - SLOT_HISTORY_SLOTS + 1n;
      const from = syncedHistory + 1n > oldest ? syncedHistory + 1n : oldest;
      for (let slot = from; slot <= current.slot; slot++) history.add(slot);
      svm.setSlotHistory(history);
      syncedHistory = current.slot;
    },
  };
}
