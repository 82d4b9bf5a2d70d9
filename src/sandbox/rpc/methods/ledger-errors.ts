import { RpcError, RpcErrorCode } from "../rpc-error.js";

/** agave's rpc-client-api custom_error.rs codes for ledger reads. */
const BLOCK_CLEANED_UP = -32001;
const BLOCK_NOT_AVAILABLE = -32004;

/** jsonrpc's Error::invalid_params: the message as given, no prefix. */
export function invalidParamsExact(message: string): RpcError {
  return new RpcError(RpcErrorCode.INVALID_PARAMS, message);
}

export function blockNotAvailable(slot: bigint): RpcError {
  return new RpcError(BLOCK_NOT_AVAILABLE, `Block not available for slot ${slot}`);
}

export function blockCleanedUp(slot: bigint, firstAvailableBlock: bigint): RpcError {
  return new RpcError(
    BLOCK_CLEANED_UP,
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
    throw invalidParamsExact("Method does not support commitment below `confirmed`");
}

export function minContextSlotNotReached(contextSlot: bigint): RpcError {
  return new RpcError(
    RpcErrorCode.MIN_CONTEXT_SLOT_NOT_REACHED,
    "Minimum context slot has not been reached",
    { contextSlot },
  );
}
