import {
  AccountRole,
  type Address,
  getProgramDerivedAddress,
  type Instruction,
  type TransactionSigner,
} from "@solana/kit";
import { addressToBytes } from "../encoding/base58.js";
import type { SandboxChain } from "../index.js";
import { SYSTEM_PROGRAM } from "./pool.js";

export const LOOKUP_TABLE_PROGRAM = "AddressLookupTab1e1111111111111111111111111" as Address;
const SLOT_HASHES_SYSVAR = "SysvarS1otHashes111111111111111111111111111" as Address;
/** Addresses per extension: 28 × 32 bytes keeps even the creating transaction under 1,232 bytes. */
export const ADDRESSES_PER_EXTEND = 28;

/**
 * The newest slot in the chain's `SlotHashes` sysvar: the program only creates a table whose
 * `recent_slot` is there, and the slot is part of the table's address.
 */
export function getRecentSlot(chain: SandboxChain): bigint {
  const data = chain.getAccount(SLOT_HASHES_SYSVAR)?.data;
  if (!data || data.length < 16) throw new Error("the chain has no SlotHashes entry");
  // bincode Vec<(Slot, Hash)>: a u64 length, then entries newest first.
  return new DataView(data.buffer, data.byteOffset, data.byteLength).getBigUint64(8, true);
}

/** The table's address: the program's PDA of [authority, recent_slot (u64 LE)]. */
export async function getLookupTableAddress(
  authority: Address,
  recentSlot: bigint,
): Promise<{ address: Address; bump: number }> {
  const slot = new Uint8Array(8);
  new DataView(slot.buffer).setBigUint64(0, recentSlot, true);
  const [address, bump] = await getProgramDerivedAddress({
    programAddress: LOOKUP_TABLE_PROGRAM,
    seeds: [addressToBytes(authority) ?? new Uint8Array(32), slot],
  });
  return { address, bump };
}

/** Instruction discriminants of the program's bincode enum (u32 LE). */
const CREATE = 0;
const EXTEND = 2;

function tableAccounts(table: Address, authority: TransactionSigner, payer: TransactionSigner) {
  return [
    { address: table, role: AccountRole.WRITABLE },
    { address: authority.address, role: AccountRole.READONLY_SIGNER, signer: authority },
    { address: payer.address, role: AccountRole.WRITABLE_SIGNER, signer: payer },
    { address: SYSTEM_PROGRAM, role: AccountRole.READONLY },
  ];
}

/** `CreateLookupTable { recent_slot, bump_seed }`. */
export function getCreateLookupTableInstruction(input: {
  table: Address;
  authority: TransactionSigner;
  payer: TransactionSigner;
  recentSlot: bigint;
  bump: number;
}): Instruction {
  const data = new Uint8Array(13);
  const view = new DataView(data.buffer);
  view.setUint32(0, CREATE, true);
  view.setBigUint64(4, input.recentSlot, true);
  data[12] = input.bump;
  return {
    programAddress: LOOKUP_TABLE_PROGRAM,
    accounts: tableAccounts(input.table, input.authority, input.payer),
    data,
  };
}

/** `ExtendLookupTable { new_addresses }` (a bincode Vec: u64 LE length, then 32 bytes each). */
export function getExtendLookupTableInstruction(input: {
  table: Address;
  authority: TransactionSigner;
  payer: TransactionSigner;
  addresses: readonly Address[];
}): Instruction {
  const data = new Uint8Array(12 + 32 * input.addresses.length);
  const view = new DataView(data.buffer);
  view.setUint32(0, EXTEND, true);
  view.setBigUint64(4, BigInt(input.addresses.length), true);
  input.addresses.forEach((address, i) => {
    const bytes = addressToBytes(address);
    if (!bytes) throw new Error(`not an address: ${address}`);
    data.set(bytes, 12 + 32 * i);
  });
  return {
    programAddress: LOOKUP_TABLE_PROGRAM,
    accounts: tableAccounts(input.table, input.authority, input.payer),
    data,
  };
}
