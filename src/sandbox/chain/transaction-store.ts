import type { Address } from "@solana/kit";
import type { UiTokenAmount } from "../encoding/token-layout.js";
import type { DecodedTransaction } from "./decoded-transaction.js";
import type { TransactionErrorJson } from "./transaction-error.js";

export interface TokenBalance {
  accountIndex: number;
  mint: Address;
  owner: Address;
  programId: Address;
  uiTokenAmount: UiTokenAmount;
}

export interface InnerInstructionRecord {
  index: number;
  instructions: {
    programIdIndex: number;
    accounts: number[];
    data: Uint8Array;
    stackHeight: number;
  }[];
}

export interface TransactionMetaRecord {
  err: TransactionErrorJson | null;
  fee: bigint;
  preBalances: bigint[];
  postBalances: bigint[];
  preTokenBalances: TokenBalance[];
  postTokenBalances: TokenBalance[];
  logMessages: string[];
  innerInstructions: InnerInstructionRecord[];
  computeUnitsConsumed: bigint;
  returnData: { programId: Address; data: Uint8Array } | null;
}

/** A landed transaction: what getTransaction, statuses and subscriptions report. */
export interface TransactionRecord {
  signature: string;
  slot: bigint;
  blockTime: number;
  transaction: DecodedTransaction;
  meta: TransactionMetaRecord;
}

/** Slots of prioritisation fees kept, as mainnet's cache (150 blocks). */
const FEE_HISTORY_SLOTS = 150n;

export interface TransactionStore {
  readonly count: bigint;
  add(record: TransactionRecord): void;
  get(signature: string): TransactionRecord | undefined;
  /** Oldest first. */
  forAddress(address: Address): readonly TransactionRecord[];
  inSlot(slot: bigint): readonly TransactionRecord[];
  /** Forgets the records of a block that fell out of retention (the oldest retained slot). */
  prune(slot: bigint): void;
  /** Lowest compute-unit price per slot among landed transactions touching `accounts` (all if empty). */
  prioritizationFees(
    accounts: readonly Address[],
    currentSlot: bigint,
  ): { slot: bigint; fee: bigint }[];
}

/** A slot's lowest compute-unit price: overall, and per account its transactions write-locked. */
interface SlotFees {
  min: bigint;
  byWritable: Map<Address, bigint>;
}

export function createTransactionStore(): TransactionStore {
  const bySignature = new Map<string, TransactionRecord>();
  const byAddress = new Map<Address, TransactionRecord[]>();
  const bySlot = new Map<bigint, TransactionRecord[]>();
  // Kept as transactions land, so a fee estimate need not rescan 150 slots of transactions.
  const feesBySlot = new Map<bigint, SlotFees>();
  let count = 0n;
  return {
    get count() {
      return count;
    },
    add(record) {
      count += 1n;
      bySignature.set(record.signature, record);
      for (const address of new Set(record.transaction.accountKeys)) {
        const list = byAddress.get(address);
        if (list) list.push(record);
        else byAddress.set(address, [record]);
      }
      const slotList = bySlot.get(record.slot);
      if (slotList) slotList.push(record);
      else bySlot.set(record.slot, [record]);
      const { transaction } = record;
      const price = transaction.budget.unitPrice;
      let fees = feesBySlot.get(record.slot);
      if (!fees) {
        fees = { min: price, byWritable: new Map() };
        feesBySlot.set(record.slot, fees);
      } else if (price < fees.min) fees.min = price;
      transaction.accountKeys.forEach((key, i) => {
        if (!transaction.isWritable[i]) return;
        const known = fees.byWritable.get(key);
        if (known === undefined || price < known) fees.byWritable.set(key, price);
      });
    },
    get: (signature) => bySignature.get(signature),
    prune(slot) {
      const records = bySlot.get(slot) ?? [];
      bySlot.delete(slot);
      feesBySlot.delete(slot);
      for (const record of records) {
        bySignature.delete(record.signature);
        // Pruning goes oldest first, so each address's oldest record is this one.
        for (const address of new Set(record.transaction.accountKeys)) {
          const list = byAddress.get(address);
          if (list?.[0] === record) list.shift();
          if (list?.length === 0) byAddress.delete(address);
        }
      }
    },
    forAddress: (address) => byAddress.get(address) ?? [],
    inSlot: (slot) => bySlot.get(slot) ?? [],
    prioritizationFees(accounts, currentSlot) {
      const fees: { slot: bigint; fee: bigint }[] = [];
      const wanted = [...new Set(accounts)];
      for (let slot = currentSlot - FEE_HISTORY_SLOTS + 1n; slot <= currentSlot; slot++) {
        const slotFees = feesBySlot.get(slot);
        if (!slotFees) continue;
        // Mainnet filters on write-locked accounts: only those contend for block space.
        let min: bigint | null = wanted.length === 0 ? slotFees.min : null;
        for (const account of wanted) {
          const price = slotFees.byWritable.get(account);
          if (price !== undefined && (min === null || price < min)) min = price;
        }
        if (min !== null) fees.push({ slot, fee: min });
      }
      return fees;
    },
  };
}
