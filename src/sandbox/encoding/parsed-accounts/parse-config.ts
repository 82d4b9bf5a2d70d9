import { BincodeReader } from "./bincode-reader.js";
import type { ParsedInfo } from "./parsed-account.js";

const VALIDATOR_INFO = "Va1idator1nfo111111111111111111111111111111";

/**
 * A config-program account. Only validator info parses (agave 4.1 dropped the stake config
 * parser: that account falls back to base64): ConfigKeys (short_vec of key, signer) then the
 * info string, itself JSON.
 */
export function parseConfig(data: Uint8Array): ParsedInfo | null {
  const reader = new BincodeReader(data);
  const count = reader.shortVecLength();
  const keys = Array.from({ length: count }, () => ({
    pubkey: reader.pubkey(),
    signer: reader.bool(),
  }));
  if (keys[0]?.pubkey !== VALIDATOR_INFO) return null;
  const text = reader.string();
  let configData: unknown;
  try {
    configData = JSON.parse(text);
  } catch {
    return null;
  }
  return { type: "validatorInfo", info: { keys, configData } };
}
