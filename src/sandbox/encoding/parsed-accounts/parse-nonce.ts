import { BincodeReader } from "./bincode-reader.js";
import { type ParsedInfo, toUiFeeCalculator } from "./parsed-account.js";

/**
 * A durable nonce account (system-owned): nonce `Versions` { Legacy | Current } of
 * State { Uninitialized | Initialized(Data) }. Uninitialized is not parsable, as in agave: an
 * empty system account of nonce size is not necessarily a nonce.
 */
export function parseNonce(data: Uint8Array): ParsedInfo | null {
  const reader = new BincodeReader(data);
  if (reader.u32() > 1) return null;
  const state = reader.u32();
  if (state !== 1) return null;
  return {
    type: "initialized",
    info: {
      authority: reader.pubkey(),
      blockhash: reader.hash(),
      feeCalculator: toUiFeeCalculator(reader.u64()),
    },
  };
}
