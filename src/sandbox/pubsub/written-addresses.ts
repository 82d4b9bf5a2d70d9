import type { Address } from "@solana/kit";
import type { TransactionRecord } from "../chain/transaction-store.js";

/**
 * The accounts a batch of transactions wrote, once each: a validator stores every writable
 * account of a committed transaction (failed ones too: the fee payer), so those are what changed.
 */
export function getWrittenAddresses(records: readonly TransactionRecord[]): Set<Address> {
  const written = new Set<Address>();
  for (const { transaction } of records) {
    const { accountKeys, isWritable } = transaction;
    for (let i = 0; i < accountKeys.length; i++) {
      const key = accountKeys[i];
      if (key !== undefined && isWritable[i]) written.add(key);
    }
  }
  return written;
}
