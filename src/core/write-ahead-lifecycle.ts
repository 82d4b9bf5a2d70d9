/**
 * What orders and withdrawals share: both are written ahead (PENDING … SIGNED, SUBMITTED) and
 * end in one of the same final statuses, and each keeps its state machine in one table.
 */
export const TERMINAL_STATUSES = ["CONFIRMED", "FAILED", "EXPIRED", "REJECTED"] as const;

export type TerminalStatus = (typeof TERMINAL_STATUSES)[number];

export function isTerminalStatus(status: string): status is TerminalStatus {
  return (TERMINAL_STATUSES as readonly string[]).includes(status);
}

/** A state machine as one table: each status and the statuses it may move to. */
export type TransitionTable<S extends string> = { readonly [K in S]: readonly S[] };

/** Every status of `table` that may move to `to`: the `from` set of the store's compare-and-set. */
export function getSourcesIn<S extends string>(table: TransitionTable<S>, to: S): S[] {
  return (Object.keys(table) as S[]).filter((from) => table[from].includes(to));
}

export function canTransitionIn<S extends string>(
  table: TransitionTable<S>,
  from: S,
  to: S,
): boolean {
  return table[from].includes(to);
}
