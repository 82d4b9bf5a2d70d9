/**
 * Error codes in Jupiter's style (`{ error, errorCode }`): clients branch on `errorCode`.
 * Everything a caller can get wrong is a 400; only the rate limit and real bugs differ.
 */
export type SwapApiErrorCode =
  | "INVALID_REQUEST"
  | "TOKEN_NOT_TRADABLE"
  | "COULD_NOT_FIND_ANY_ROUTE"
  | "CIRCULAR_ARBITRAGE_IS_DISABLED"
  | "SLIPPAGE_TOLERANCE_EXCEEDED"
  | "INSUFFICIENT_LIQUIDITY"
  | "INVALID_FEE_ACCOUNT"
  | "TRANSACTION_NOT_COSIGNABLE"
  | "RATE_LIMITED"
  | "NOT_FOUND"
  | "INTERNAL_ERROR";

const STATUS: Record<SwapApiErrorCode, number> = {
  INVALID_REQUEST: 400,
  TOKEN_NOT_TRADABLE: 400,
  COULD_NOT_FIND_ANY_ROUTE: 400,
  CIRCULAR_ARBITRAGE_IS_DISABLED: 400,
  SLIPPAGE_TOLERANCE_EXCEEDED: 400,
  INSUFFICIENT_LIQUIDITY: 400,
  INVALID_FEE_ACCOUNT: 400,
  TRANSACTION_NOT_COSIGNABLE: 400,
  RATE_LIMITED: 429,
  NOT_FOUND: 404,
  INTERNAL_ERROR: 500,
};

export class SwapApiError extends Error {
  readonly errorCode: SwapApiErrorCode;
  readonly status: number;

  constructor(errorCode: SwapApiErrorCode, message: string) {
    super(message);
    this.name = "SwapApiError";
    this.errorCode = errorCode;
    this.status = STATUS[errorCode];
  }

  toJSON(): { error: string; errorCode: SwapApiErrorCode } {
    return { error: this.message, errorCode: this.errorCode };
  }
}

export function invalidRequest(message: string): SwapApiError {
  return new SwapApiError("INVALID_REQUEST", message);
}
