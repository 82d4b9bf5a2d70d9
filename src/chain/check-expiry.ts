import type { GetBlockHeightApi, GetSignatureStatusesApi, Rpc, Signature } from "@solana/kit";
import type { SignatureStatus } from "./signature-status-poller.js";

export interface ExpiryTarget {
  readonly rpc: Rpc<GetBlockHeightApi & GetSignatureStatusesApi>;
  isAvailable(): boolean;
}

export type ExpiryCheck =
  | { readonly kind: "expired"; readonly blockHeight: bigint }
  | { readonly kind: "found"; readonly status: SignatureStatus }
  | { readonly kind: "undecided" };

/**
 * Asks one endpoint at a time for its block height and then the signature with full history.
 * Only an endpoint that has itself seen a height past `lastValidBlockHeight` may declare the
 * transaction expired: it has then seen every block the transaction could have landed in.
 */
export async function checkExpiry(
  targets: readonly ExpiryTarget[],
  signature: Signature,
  lastValidBlockHeight: bigint,
): Promise<ExpiryCheck> {
  for (const target of targets.filter((t) => t.isAvailable())) {
    try {
      const blockHeight = await target.rpc.getBlockHeight({ commitment: "confirmed" }).send();
      if (blockHeight <= lastValidBlockHeight) continue;
      const { value } = await target.rpc
        .getSignatureStatuses([signature], { searchTransactionHistory: true })
        .send();
      const status = value[0] ?? null;
      return status === null ? { kind: "expired", blockHeight } : { kind: "found", status };
    } catch {
      // This endpoint can't tell; ask the next.
    }
  }
  return { kind: "undecided" };
}
