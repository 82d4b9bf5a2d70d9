import { isJsonRpcPayload } from "@solana/kit";

/** The JSON-RPC method of a transport payload, or "unknown" for anything else. */
export function getRequestMethod(payload: unknown): string {
  return isJsonRpcPayload(payload) ? payload.method : "unknown";
}

/** Methods that change state: never retried blindly through the pool. */
const NON_IDEMPOTENT_METHODS = new Set(["sendTransaction", "requestAirdrop"]);

export function isRetryableRequest(payload: unknown): boolean {
  return !NON_IDEMPOTENT_METHODS.has(getRequestMethod(payload));
}
