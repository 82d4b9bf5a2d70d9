import { accountMethods } from "./methods/account-methods.js";
import { blockMethods } from "./methods/block-methods.js";
import { clusterMethods } from "./methods/cluster-methods.js";
import { historyMethods } from "./methods/history-methods.js";
import { inflationMethods } from "./methods/inflation-methods.js";
import { sendMethods } from "./methods/send-methods.js";
import { supplyMethods } from "./methods/supply-methods.js";
import { tokenMethods } from "./methods/token-methods.js";
import { validatorMethods } from "./methods/validator-methods.js";
import { parseJsonBody } from "./parse-json-body.js";
import type { RpcContext } from "./rpc-context.js";
import { RpcError, RpcErrorCode } from "./rpc-error.js";
import type { RpcMethodTable } from "./rpc-method.js";

const METHODS: RpcMethodTable = {
  ...clusterMethods,
  ...accountMethods,
  ...tokenMethods,
  ...sendMethods,
  ...historyMethods,
  ...blockMethods,
  ...validatorMethods,
  ...supplyMethods,
  ...inflationMethods,
};

/** A number id past 2^53 arrives as a bigint (parseJsonBody) and is echoed exactly. */
type RequestId = string | number | bigint | null;

interface RpcResponse {
  jsonrpc: "2.0";
  id: RequestId;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

function errorResponse(id: RequestId, code: number, message: string, data?: unknown): RpcResponse {
  return {
    jsonrpc: "2.0",
    id,
    error: data === undefined ? { code, message } : { code, message, data },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function isSupportedMethod(method: string): boolean {
  return Object.hasOwn(METHODS, method);
}

/** One JSON-RPC call → one response; never throws, whatever the input. */
export function dispatchCall(call: unknown, ctx: RpcContext): RpcResponse {
  if (!isRecord(call)) return errorResponse(null, RpcErrorCode.INVALID_REQUEST, "Invalid request");
  const rawId = call.id;
  const id: RequestId =
    typeof rawId === "string" || typeof rawId === "number" || typeof rawId === "bigint"
      ? rawId
      : null;
  if (call.jsonrpc !== "2.0" || typeof call.method !== "string") {
    return errorResponse(id, RpcErrorCode.INVALID_REQUEST, "Invalid request");
  }
  const params = call.params;
  if (params !== undefined && params !== null && !Array.isArray(params)) {
    return errorResponse(id, RpcErrorCode.INVALID_PARAMS, "`params` should be an array");
  }
  const handler = isSupportedMethod(call.method) ? METHODS[call.method] : undefined;
  if (!handler) return errorResponse(id, RpcErrorCode.METHOD_NOT_FOUND, "Method not found");
  try {
    return { jsonrpc: "2.0", result: handler(params, ctx), id };
  } catch (error) {
    if (error instanceof RpcError) return errorResponse(id, error.code, error.message, error.data);
    const message = error instanceof Error ? error.message : String(error);
    return errorResponse(id, RpcErrorCode.INTERNAL_ERROR, `Internal error: ${message}`);
  }
}

/** A request body (single call or batch) → the response body, or null for an empty answer. */
export function dispatchBody(body: string, ctx: RpcContext): unknown {
  let parsed: unknown;
  try {
    parsed = parseJsonBody(body);
  } catch {
    return errorResponse(null, RpcErrorCode.PARSE_ERROR, "Parse error");
  }
  if (Array.isArray(parsed)) {
    if (parsed.length === 0)
      return errorResponse(null, RpcErrorCode.INVALID_REQUEST, "Invalid request");
    return parsed.map((call) => dispatchCall(call, ctx));
  }
  return dispatchCall(parsed, ctx);
}
