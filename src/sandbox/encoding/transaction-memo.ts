import type { TransactionRecord } from "../chain/transaction-store.js";
import { decodeMemo, MEMO_PROGRAMS } from "./parsed-instructions.js";

/** getSignaturesForAddress's `memo`: each top-level memo as "[length] text", joined by "; " (agave's extract_memos). */
export function getMemo(record: TransactionRecord): string | null {
  const { accountKeys, instructions } = record.transaction;
  const memos: string[] = [];
  for (const ix of instructions) {
    if (!MEMO_PROGRAMS.has(accountKeys[ix.programIdIndex] ?? "")) continue;
    memos.push(`[${ix.data.length}] ${decodeMemo(ix.data) ?? "(unparsable)"}`);
  }
  return memos.length === 0 ? null : memos.join("; ");
}
