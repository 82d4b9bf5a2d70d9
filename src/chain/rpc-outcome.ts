import { isSolanaError, SOLANA_ERROR__RPC__TRANSPORT_HTTP_ERROR } from "@solana/kit";
import { isOspreyError } from "../core/index.js";

/** What one request to one endpoint says about that endpoint. */
export type RpcOutcome =
  | { readonly kind: "ok" }
  /** A JSON-RPC error caused by the request itself (preflight failure, bad params): not the endpoint's fault. */
  | { readonly kind: "rpc-error"; readonly code: number }
  | { readonly kind: "fault"; readonly reason: FaultReason; readonly retryAfterMs?: number }
  /** The caller gave up: says nothing about the endpoint. */
  | { readonly kind: "aborted" };

export type FaultReason =
  | "timeout"
  | "network"
  | "http-5xx"
  | "http-429"
  | "http-other"
  | "unhealthy";

/** JSON-RPC error codes that mean the node, not the request, is at fault. */
const ENDPOINT_FAULT_RPC_CODES = new Set([-32005 /* node unhealthy / behind */, 429, -32429]);

export function getResponseOutcome(response: unknown): RpcOutcome {
  const code = getJsonRpcErrorCode(response);
  if (code === undefined) return { kind: "ok" };
  return ENDPOINT_FAULT_RPC_CODES.has(code)
    ? { kind: "fault", reason: "unhealthy" }
    : { kind: "rpc-error", code };
}

export function getErrorOutcome(
  error: unknown,
  signal: AbortSignal | undefined,
  now: number,
): RpcOutcome {
  if (signal?.aborted && error === signal.reason) return { kind: "aborted" };
  if (isOspreyError(error, "RPC_TIMEOUT")) return { kind: "fault", reason: "timeout" };
  if (isSolanaError(error, SOLANA_ERROR__RPC__TRANSPORT_HTTP_ERROR)) {
    const { statusCode, headers } = error.context;
    if (statusCode === 429) {
      const retryAfterMs = parseRetryAfter(headers.get("retry-after"), now);
      return retryAfterMs === undefined
        ? { kind: "fault", reason: "http-429" }
        : { kind: "fault", reason: "http-429", retryAfterMs };
    }
    return { kind: "fault", reason: statusCode >= 500 ? "http-5xx" : "http-other" };
  }
  // fetch rejects with a TypeError for refused/reset connections and DNS failures.
  return { kind: "fault", reason: "network" };
}

/** `Retry-After` as delay-seconds or an HTTP date, in ms from now. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function getJsonRpcErrorCode(response: unknown): number | undefined {
  if (typeof response !== "object" || response === null || !("error" in response)) return undefined;
  const error: unknown = response.error;
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  return typeof error.code === "number" ? error.code : Number(error.code);
}

/** A short label for metrics: ok, rpc_error, timeout, network, http_5xx, http_429, … */
export function getOutcomeLabel(outcome: RpcOutcome): string {
  switch (outcome.kind) {
    case "ok":
      return "ok";
    case "rpc-error":
      return "rpc_error";
    case "aborted":
      return "aborted";
    case "fault":
      return outcome.reason.replace("-", "_");
    default:
      return outcome satisfies never;
  }
}
