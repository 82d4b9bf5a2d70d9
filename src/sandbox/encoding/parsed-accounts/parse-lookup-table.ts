import { BincodeError, BincodeReader } from "./bincode-reader.js";
import type { ParsedInfo } from "./parsed-account.js";

const META_SIZE = 56;

/**
 * An address lookup table: ProgramState { Uninitialized | LookupTable(meta) } in the first 56
 * bytes, then the addresses (whole 32-byte keys only). Slots are strings, as agave prints them.
 */
export function parseLookupTable(data: Uint8Array): ParsedInfo | null {
  const reader = new BincodeReader(data);
  const state = reader.u32();
  if (state === 0) return { type: "uninitialized" };
  if (state !== 1) return null;
  const deactivationSlot = reader.u64();
  const lastExtendedSlot = reader.u64();
  const lastExtendedSlotStartIndex = reader.u8();
  const authority = reader.option(() => reader.pubkey());
  reader.u16();
  if (data.length < META_SIZE || (data.length - META_SIZE) % 32 !== 0) {
    throw new BincodeError("misaligned lookup table addresses");
  }
  const addresses = new BincodeReader(data.subarray(META_SIZE));
  const info: Record<string, unknown> = {
    deactivationSlot: deactivationSlot.toString(),
    lastExtendedSlot: lastExtendedSlot.toString(),
    lastExtendedSlotStartIndex,
  };
  if (authority !== null) info.authority = authority;
  info.addresses = Array.from({ length: (data.length - META_SIZE) / 32 }, () => addresses.pubkey());
  return { type: "lookupTable", info };
}
