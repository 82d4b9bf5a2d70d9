import type {
  WithdrawalEvent,
  WithdrawalRecord,
} from "../store/repositories/withdrawals-repository.js";

const iso = (ms: number) => new Date(ms).toISOString();

/** A withdrawal as CONTRACTS17.md shows it: amounts as strings of integers. */
export function toWithdrawalJson(withdrawal: WithdrawalRecord, events: readonly WithdrawalEvent[]) {
  return {
    id: withdrawal.id,
    walletId: withdrawal.walletId,
    to: withdrawal.destination,
    mint: withdrawal.mint,
    amount: withdrawal.amount.toString(),
    status: withdrawal.status,
    signature: withdrawal.signature,
    error: withdrawal.error,
    feeLamports: withdrawal.feeLamports === null ? null : withdrawal.feeLamports.toString(),
    slot: withdrawal.slot,
    createdAt: iso(withdrawal.createdAt),
    updatedAt: iso(withdrawal.updatedAt),
    events: events.map((event) => ({
      status: event.status,
      at: iso(event.at),
      detail: event.detail,
    })),
  };
}

export type WithdrawalJson = ReturnType<typeof toWithdrawalJson>;
