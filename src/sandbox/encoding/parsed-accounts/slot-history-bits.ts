import type { BincodeReader } from "./bincode-reader.js";

/** SlotHistory::MAX_ENTRIES: agave prints exactly this many bits. */
const MAX_ENTRIES = 1024 * 1024;

/**
 * SlotHistory's `bits` (a bv::BitVec<u64>: Option of u64 blocks, then the bit length) as agave's
 * Debug print: one '0'/'1' per slot of the history, least significant bit of block 0 first.
 */
export function readSlotHistoryBits(reader: BincodeReader): string {
  const blocks = reader.option(() => reader.vec(() => reader.u64())) ?? [];
  reader.u64(); // bit length
  const out = new Uint8Array(MAX_ENTRIES).fill(0x30);
  blocks.forEach((block, index) => {
    if (block === 0n) return;
    let low = Number(block & 0xffffffffn);
    let high = Number(block >> 32n);
    for (let bit = 0; bit < 32; bit++, low >>>= 1, high >>>= 1) {
      const at = index * 64 + bit;
      if (low & 1 && at < MAX_ENTRIES) out[at] = 0x31;
      if (high & 1 && at + 32 < MAX_ENTRIES) out[at + 32] = 0x31;
    }
  });
  return Buffer.from(out).toString("latin1");
}
