import type { Address } from "@solana/kit";
import type { SandboxAccount } from "../chain/ledger-accounts.js";
import { SYSTEM_PROGRAM } from "../chain/ledger-accounts.js";
import {
  type AccountEncoding,
  encodeAccount,
  type MintDecimalsReader,
} from "../encoding/account-encoding.js";

const MAX_BASE58_BYTES = 128;
/** What agave's encode_bs58 puts in place of data too long for base58 (notifications never fail). */
const TOO_LARGE_FOR_BASE58 = "error: data too large for bs58 encoding";

/** How a closed or never-funded account reads in a notification. */
export const EMPTY_ACCOUNT: SandboxAccount = {
  lamports: 0n,
  owner: SYSTEM_PROGRAM,
  data: new Uint8Array(),
  executable: false,
};

/** An account in a notification's UiAccount shape (agave ignores dataSlice in pubsub). */
export function encodeNotificationAccount(
  address: Address,
  account: SandboxAccount,
  encoding: AccountEncoding,
  decimals: MintDecimalsReader,
) {
  const isBase58 = encoding === "binary" || encoding === "base58";
  if (!isBase58 || account.data.length <= MAX_BASE58_BYTES) {
    // The address lets jsonParsed recognise sysvars, as agave's parser does.
    return encodeAccount(account, { encoding }, decimals, address);
  }
  const empty = { ...account, data: new Uint8Array() };
  const encoded = encodeAccount(empty, { encoding }, decimals, address);
  return {
    ...encoded,
    data: encoding === "binary" ? TOO_LARGE_FOR_BASE58 : [TOO_LARGE_FOR_BASE58, "base58"],
    space: BigInt(account.data.length),
  };
}

/** Refuses at subscribe time an encoding the sandbox cannot produce, rather than at delivery. */
export function assertEncodable(encoding: AccountEncoding, owner: Address = SYSTEM_PROGRAM) {
  encodeAccount({ ...EMPTY_ACCOUNT, owner }, { encoding }, () => null);
}
