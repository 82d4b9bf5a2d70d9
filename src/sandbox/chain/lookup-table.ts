import type { Address } from "@solana/kit";
import { SandboxError } from "./sandbox-error.js";

export const ADDRESS_LOOKUP_TABLE_PROGRAM =
  "AddressLookupTab1e1111111111111111111111111" as Address;
export const LOOKUP_TABLE_META_SIZE = 56;
const LOOKUP_TABLE_DISCRIMINATOR = 1;
const ACTIVE = 0xffff_ffff_ffff_ffffn;

/** What address resolution needs of the bank: the table account and which slots are recent. */
export interface LookupTableEnvironment {
  account(address: Address): { owner: Address; data: Uint8Array } | null;
  /** The slot the transaction executes in. */
  readonly slot: bigint;
  /** True when `slot` is in the SlotHashes sysvar (the last 512 slots before the current one). */
  isRecentSlot(slot: bigint): boolean;
}

// agave's AddressLookupError → TransactionError, worded as its Display prints them.
const ERRORS = {
  notFound: "Transaction loads an address table account that doesn't exist",
  owner: "Transaction loads an address table account with an invalid owner",
  data: "Transaction loads an address table account with invalid data",
  index: "Transaction address table lookup uses an invalid index",
} as const;

function fail(reason: keyof typeof ERRORS): SandboxError {
  return new SandboxError("INVALID_TRANSACTION", `invalid transaction: ${ERRORS[reason]}`);
}

/**
 * The addresses of a table a transaction may load at `env.slot`, under agave's rules: a
 * deactivated table (deactivation slot no longer in SlotHashes) is as good as missing, and
 * addresses appended in the current slot are not usable before the next one.
 */
export function getActiveLookupAddresses(
  address: Address,
  env: LookupTableEnvironment,
): Uint8Array {
  const account = env.account(address);
  if (!account) throw fail("notFound");
  if (account.owner !== ADDRESS_LOOKUP_TABLE_PROGRAM) throw fail("owner");
  const { data } = account;
  const addressBytes = data.length - LOOKUP_TABLE_META_SIZE;
  if (addressBytes < 0 || addressBytes % 32 !== 0) throw fail("data");
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (view.getUint32(0, true) !== LOOKUP_TABLE_DISCRIMINATOR) throw fail("data");
  const deactivationSlot = view.getBigUint64(4, true);
  const lastExtendedSlot = view.getBigUint64(12, true);
  const lastExtendedStartIndex = data[20] ?? 0;
  const deactivating = deactivationSlot === env.slot || env.isRecentSlot(deactivationSlot);
  if (deactivationSlot !== ACTIVE && !deactivating) throw fail("notFound");
  const count = env.slot > lastExtendedSlot ? addressBytes / 32 : lastExtendedStartIndex;
  return data.subarray(LOOKUP_TABLE_META_SIZE, LOOKUP_TABLE_META_SIZE + count * 32);
}

/** The `index`th address of an active region, or the invalid-index error. */
export function getLookupAddress(active: Uint8Array, index: number): Uint8Array {
  const offset = index * 32;
  if (offset + 32 > active.length) throw fail("index");
  return active.subarray(offset, offset + 32);
}
