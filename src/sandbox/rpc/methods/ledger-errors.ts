import { invalidParams, RpcError, RpcErrorCode } from "../rpc-error.js";

export function blockNotAvailable(slot: bigint): RpcError {
  return new RpcError(RpcErrorCode.BLOCK_NOT_AVAILABLE, `Block not available for slot ${slot}`);
}

export function blockCleanedUp(slot: bigint, firstAvailableBlock: bigint): RpcError {
  return new RpcError(
    RpcErrorCode.BLOCK_CLEANED_UP,
    `Block ${slot} cleaned up, does not exist on node. First available block: ${firstAvailableBlock}`,
  );
}

export function unsupportedTransactionVersion(version: number): RpcError {
  return new RpcError(
    RpcErrorCode.UNSUPPORTED_TRANSACTION_VERSION,
    `Transaction version (${version}) is not supported by the requesting client. Please try the request again with the following configuration parameter: "maxSupportedTransactionVersion": ${version}`,
  );
}

/** History methods refuse `processed` (agave's check_is_at_least_confirmed). */
export function assertAtLeastConfirmed(commitment: string | undefined): void {
  if (commitment === "processed")
    throw invalidParams("Method does not support commitment below `confirmed`");
}
