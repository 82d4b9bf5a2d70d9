export type Commitment = "processed" | "confirmed" | "finalized";

/** Slots behind the tip at which each commitment level sits (no forks in the sandbox). */
export const COMMITMENT_DEPTH: Record<Commitment, bigint> = {
  processed: 0n,
  confirmed: 1n,
  finalized: 32n,
};

export type ConfirmationStatus = Commitment;

/** Where a transaction landed in `txSlot` stands when the tip is `tipSlot`. */
export function getConfirmationStatus(txSlot: bigint, tipSlot: bigint): ConfirmationStatus {
  const depth = tipSlot - txSlot;
  if (depth >= COMMITMENT_DEPTH.finalized) return "finalized";
  if (depth >= COMMITMENT_DEPTH.confirmed) return "confirmed";
  return "processed";
}

export function meetsCommitment(status: ConfirmationStatus, wanted: Commitment): boolean {
  return COMMITMENT_DEPTH[status] >= COMMITMENT_DEPTH[wanted];
}
