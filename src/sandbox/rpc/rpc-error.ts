/** JSON-RPC error codes used by Solana validators (agave's rpc custom errors). */
export const RpcErrorCode = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  BLOCK_CLEANED_UP: -32001,
  BLOCK_NOT_AVAILABLE: -32004,
  SEND_TRANSACTION_PREFLIGHT_FAILURE: -32002,
  TRANSACTION_SIGNATURE_VERIFICATION_FAILURE: -32003,
  NODE_UNHEALTHY: -32005,
  TRANSACTION_PRECOMPILE_VERIFICATION_FAILURE: -32006,
  TRANSACTION_HISTORY_NOT_AVAILABLE: -32011,
  UNSUPPORTED_TRANSACTION_VERSION: -32015,
  MIN_CONTEXT_SLOT_NOT_REACHED: -32016,
} as const;

export class RpcError extends Error {
  readonly code: number;
  readonly data: unknown;

  constructor(code: number, message: string, data?: unknown) {
    super(message);
    this.name = "RpcError";
    this.code = code;
    this.data = data;
  }
}

/** -32602 with the message as given: agave's Error::invalid_params adds no prefix of its own. */
export function invalidParams(message: string): RpcError {
  return new RpcError(RpcErrorCode.INVALID_PARAMS, message);
}
