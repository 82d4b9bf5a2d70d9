import { BincodeReader } from "./bincode-reader.js";
import type { ParsedInfo } from "./parsed-account.js";

/** Bytes before a buffer's / program data's payload when the authority is set (agave's sizes). */
const BUFFER_METADATA = 37;
const PROGRAM_DATA_METADATA = 45;

const base64 = (bytes: Uint8Array) => [Buffer.from(bytes).toString("base64"), "base64"];

/**
 * The upgradeable BPF loader's accounts. Payloads come back as `[base64, "base64"]` inside the
 * parsed info; with no authority agave starts them 32 bytes earlier (the empty key's room).
 */
export function parseUpgradeableLoader(data: Uint8Array): ParsedInfo | null {
  const reader = new BincodeReader(data);
  switch (reader.u32()) {
    case 0:
      return { type: "uninitialized" };
    case 1: {
      const authority = reader.option(() => reader.pubkey());
      const offset = authority === null ? BUFFER_METADATA - 32 : BUFFER_METADATA;
      return { type: "buffer", info: { authority, data: base64(data.subarray(offset)) } };
    }
    case 2:
      return { type: "program", info: { programData: reader.pubkey() } };
    case 3: {
      const slot = reader.u64();
      const authority = reader.option(() => reader.pubkey());
      const offset = authority === null ? PROGRAM_DATA_METADATA - 32 : PROGRAM_DATA_METADATA;
      return {
        type: "programData",
        info: { slot, authority, data: base64(data.subarray(offset)) },
      };
    }
    default:
      return null;
  }
}
