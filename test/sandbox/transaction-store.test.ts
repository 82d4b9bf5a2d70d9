import type { Address } from "@solana/kit";
import { describe, expect, it } from "vitest";
import {
  createTransactionStore,
  type TransactionRecord,
} from "../../src/sandbox/chain/transaction-store.js";
import { createSeededRandom } from "../../src/sandbox/index.js";

const ACCOUNTS = ["A", "B", "C", "D", "E"].map((k) => k.repeat(32) as Address);

/** The definition: per slot, the lowest price among transactions write-locking a wanted account. */
function reference(records: TransactionRecord[], wanted: Address[], current: bigint) {
  const fees: { slot: bigint; fee: bigint }[] = [];
  for (let slot = current - 149n; slot <= current; slot++) {
    const prices = records
      .filter((r) => r.slot === slot)
      .filter(
        ({ transaction: t }) =>
          wanted.length === 0 ||
          t.accountKeys.some((k, i) => t.isWritable[i] && wanted.includes(k)),
      )
      .map((r) => r.transaction.budget.unitPrice);
    if (prices.length > 0)
      fees.push({ slot, fee: prices.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))[0] as bigint });
  }
  return fees;
}

describe("transaction store", () => {
  it("reports the lowest priority fee per slot among write-locking transactions", () => {
    const random = createSeededRandom(7);
    const pick = (n: number) => Math.floor(random() * n);
    const store = createTransactionStore();
    const records: TransactionRecord[] = [];
    for (let i = 0; i < 400; i++) {
      const keys = ACCOUNTS.filter(() => random() < 0.5);
      const record = {
        signature: `sig${i}`,
        slot: 1000n + BigInt(pick(200)),
        blockTime: 0,
        transaction: {
          accountKeys: keys,
          isWritable: keys.map(() => random() < 0.5),
          budget: { unitPrice: BigInt(pick(1000)) },
        },
        meta: {},
      } as unknown as TransactionRecord;
      records.push(record);
      store.add(record);
    }
    for (const current of [1000n, 1100n, 1199n, 1300n]) {
      for (const wanted of [[], [ACCOUNTS[0]], [ACCOUNTS[1], ACCOUNTS[3]], ACCOUNTS]) {
        const list = wanted as Address[];
        expect(store.prioritizationFees(list, current)).toEqual(reference(records, list, current));
      }
    }
  });
});
