import { FetchError, ResponseError } from "@jup-ag/api";
import { OspreyError } from "../core/osprey-error.js";

// Jupiter's errorCode values that mean "this pair cannot be routed", by code, never by message.
const NO_ROUTE_CODES = new Set([
  "COULD_NOT_FIND_ANY_ROUTE",
  "NO_ROUTES_FOUND",
  "TOKEN_NOT_TRADABLE",
  "MARKET_NOT_FOUND",
  "ROUTE_PLAN_DOES_NOT_CONSUME_ALL_THE_AMOUNT",
  "CIRCULAR_ARBITRAGE_IS_DISABLED",
]);
const SLIPPAGE_CODES = new Set(["SLIPPAGE_TOLERANCE_EXCEEDED", "SLIPPAGE_EXCEEDED", "PRICE_MOVED"]);

async function readErrorCode(response: Response): Promise<string | undefined> {
  try {
    const body = (await response.clone().json()) as { errorCode?: unknown };
    return typeof body.errorCode === "string" ? body.errorCode : undefined;
  } catch {
    return undefined;
  }
}

function retryAfterMs(response: Response): number | undefined {
  const header = response.headers.get("retry-after");
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

export type SwapOperation = "quote" | "swap" | "build";

/**
 * An answer other than 2xx from the swap API as a typed OspreyError, from its status and
 * `errorCode` (never its message text). Shared by the v1 client (through `toSwapError`) and v2.
 */
export async function toSwapResponseError(
  response: Response,
  operation: SwapOperation,
): Promise<OspreyError> {
  const { status } = response;
  const errorCode = await readErrorCode(response);
  const context = { operation, status, ...(errorCode ? { errorCode } : {}) };
  if (status === 429) {
    const wait = retryAfterMs(response);
    return new OspreyError("RATE_LIMITED", "The swap API is rate-limiting us; retry shortly.", {
      ...context,
      ...(wait === undefined ? {} : { retryAfterMs: wait }),
    });
  }
  if (errorCode && NO_ROUTE_CODES.has(errorCode))
    return new OspreyError("NO_ROUTE", undefined, context);
  if (errorCode && SLIPPAGE_CODES.has(errorCode))
    return new OspreyError("SLIPPAGE", undefined, context);
  // A 5xx says the API is down, whatever the request: the client should come back, not change it.
  if (status >= 500)
    return new OspreyError(
      "SWAP_API_UNAVAILABLE",
      `The swap API answered ${status} to a ${operation}.`,
      context,
    );
  return new OspreyError(
    "API_ERROR",
    `The swap API answered ${status} to a ${operation}.`,
    context,
  );
}

/** A request that got no answer (network failure or timeout) as SWAP_API_UNAVAILABLE. */
export function toSwapUnreachableError(cause: unknown, operation: SwapOperation): OspreyError {
  const timedOut =
    cause instanceof Error && (cause.name === "TimeoutError" || cause.name === "AbortError");
  return new OspreyError(
    "SWAP_API_UNAVAILABLE",
    timedOut
      ? `The swap API did not answer the ${operation} in time.`
      : `The swap API could not be reached for a ${operation}.`,
    { operation, reason: timedOut ? "timeout" : "network" },
    { cause },
  );
}

/** Turns whatever the Jupiter client threw into a typed OspreyError, from status and errorCode. */
export async function toSwapError(
  error: unknown,
  operation: "quote" | "swap",
): Promise<OspreyError> {
  if (error instanceof OspreyError) return error;
  if (error instanceof ResponseError) return toSwapResponseError(error.response, operation);
  const cause = error instanceof FetchError ? error.cause : error;
  return toSwapUnreachableError(cause, operation);
}
