import type { RpcTransport, TransactionError } from "@solana/kit";

export type PreflightResult =
  | { readonly kind: "passed" }
  /** Simulation failed for a reason that rebroadcasting cannot fix. */
  | { readonly kind: "rejected"; readonly error: TransactionError }
  /** Couldn't tell (endpoint fault, stale blockhash on that node, …): broadcast anyway. */
  | { readonly kind: "unknown" };

// A lagging node may not know the blockhash yet; an already-processed tx has in fact landed.
const NOT_FINAL = new Set(["BlockhashNotFound", "AlreadyProcessed"]);

/**
 * One send with preflight through the pool. The raw transport keeps the node's TransactionError
 * as JSON, which the order engine stores verbatim.
 */
export async function preflightTransaction(
  transport: RpcTransport,
  transaction: string,
): Promise<PreflightResult> {
  let response: unknown;
  try {
    response = await transport({
      payload: {
        jsonrpc: "2.0",
        id: 0,
        method: "sendTransaction",
        params: [
          transaction,
          {
            encoding: "base64",
            skipPreflight: false,
            preflightCommitment: "confirmed",
            maxRetries: 0,
          },
        ],
      },
    });
  } catch {
    return { kind: "unknown" };
  }
  const error = (response as { error?: { code?: unknown; data?: { err?: unknown } } }).error;
  if (error === undefined) return { kind: "passed" };
  // kit parses integers as bigint, the code included.
  const err = error.data?.err;
  if (Number(error.code) !== -32002 || err === undefined || err === null)
    return { kind: "unknown" };
  if (typeof err === "string" && NOT_FINAL.has(err)) return { kind: "unknown" };
  return { kind: "rejected", error: err as TransactionError };
}
