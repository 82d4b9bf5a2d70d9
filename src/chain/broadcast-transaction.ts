import type { Base64EncodedWireTransaction, Rpc, SendTransactionApi } from "@solana/kit";

export interface BroadcastTarget {
  readonly label: string;
  readonly rpc: Rpc<SendTransactionApi>;
  isAvailable(): boolean;
}

export interface BroadcastResult {
  readonly targeted: number;
  readonly accepted: number;
}

/**
 * Sends the same bytes to every available endpoint at once, skipping preflight and the node's
 * own retries: the lander rebroadcasts itself. Errors only mean this copy didn't get through.
 */
export async function broadcastTransaction(
  targets: readonly BroadcastTarget[],
  transaction: string,
  onDispatch: (targeted: number) => void,
): Promise<BroadcastResult> {
  const available = targets.filter((target) => target.isAvailable());
  onDispatch(available.length);
  const results = await Promise.allSettled(
    available.map((target) =>
      target.rpc
        .sendTransaction(transaction as Base64EncodedWireTransaction, {
          encoding: "base64",
          skipPreflight: true,
          maxRetries: 0n,
        })
        .send(),
    ),
  );
  return {
    targeted: available.length,
    accepted: results.filter((result) => result.status === "fulfilled").length,
  };
}
