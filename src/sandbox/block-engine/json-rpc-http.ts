import type { IncomingMessage, ServerResponse } from "node:http";
import { stringifyJson } from "../rpc/json-stringify.js";
import { RpcError, RpcErrorCode } from "../rpc/rpc-error.js";
import { readBody } from "../server/http-body.js";
import { BundleRefusal } from "./bundle-rules.js";

type RequestId = string | number | null;

export interface JsonRpcCall {
  readonly id: RequestId;
  readonly method: string;
  readonly params: readonly unknown[];
}

/** A method's answer: its result, and response headers (Jito's `x-bundle-id`). */
export interface MethodAnswer {
  result: unknown;
  headers?: Record<string, string>;
}

export type MethodTable = Record<string, (params: readonly unknown[]) => MethodAnswer>;

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(stringifyJson(body));
}

function errorBody(id: RequestId, code: number, message: string) {
  return { jsonrpc: "2.0", error: { code, message }, id };
}

/**
 * One JSON-RPC call over HTTP, as the block engine answers: a refused bundle or transaction is
 * HTTP 400 with the JSON-RPC error (Jito's ingress names the reason that way), an unknown
 * method -32601, a malformed body -32700 / -32600.
 */
export async function handleJsonRpc(
  req: IncomingMessage,
  res: ServerResponse,
  methods: MethodTable,
): Promise<void> {
  const text = await readBody(req);
  if (text === null)
    return sendJson(
      res,
      413,
      errorBody(null, RpcErrorCode.INVALID_REQUEST, "request body too large"),
    );
  let call: unknown;
  try {
    call = JSON.parse(text);
  } catch {
    return sendJson(res, 400, errorBody(null, RpcErrorCode.PARSE_ERROR, "Parse error"));
  }
  const record =
    typeof call === "object" && call !== null && !Array.isArray(call)
      ? (call as Record<string, unknown>)
      : null;
  const rawId = record?.id;
  const id: RequestId = typeof rawId === "string" || typeof rawId === "number" ? rawId : null;
  if (record?.jsonrpc !== "2.0" || typeof record.method !== "string") {
    return sendJson(res, 400, errorBody(id, RpcErrorCode.INVALID_REQUEST, "Invalid request"));
  }
  const params = record.params ?? [];
  if (!Array.isArray(params)) {
    return sendJson(
      res,
      400,
      errorBody(id, RpcErrorCode.INVALID_PARAMS, "`params` should be an array"),
    );
  }
  const handler = Object.hasOwn(methods, record.method) ? methods[record.method] : undefined;
  if (!handler)
    return sendJson(res, 200, errorBody(id, RpcErrorCode.METHOD_NOT_FOUND, "Method not found"));
  try {
    const answer = handler(params);
    sendJson(res, 200, { jsonrpc: "2.0", result: answer.result, id }, answer.headers);
  } catch (error) {
    if (error instanceof BundleRefusal) {
      return sendJson(res, 400, errorBody(id, RpcErrorCode.INVALID_PARAMS, error.message));
    }
    if (error instanceof RpcError)
      return sendJson(res, 400, errorBody(id, error.code, error.message));
    throw error;
  }
}
