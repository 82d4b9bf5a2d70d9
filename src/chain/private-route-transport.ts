import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import type { RpcTransport } from "@solana/kit";
import { readResponseText, sendHttpRequest } from "../core/http-request.js";
import { toSolanaHttpError } from "./json-rpc-batcher.js";

/**
 * A JSON-RPC transport for a block engine or sender URL. Jito answers a refused request (an
 * untipped bundle, bad params) with HTTP 400 **and** a JSON-RPC error object: that body is the
 * answer, handed back as a response so the caller reads the code and the route's breaker does not
 * count it as a fault. Any other non-2xx (429 rate limit, 5xx) and an unreadable body throw kit's
 * HTTP error, as the RPC endpoints' transport does, so back-off and the breaker apply.
 */
export function createPrivateRouteTransport(url: string, idleSocketMs = 4_000): RpcTransport {
  const target = new URL(url);
  const headers: Record<string, string> = {
    accept: "application/json",
    "accept-encoding": "br,gzip,deflate",
    "content-type": "application/json; charset=utf-8",
  };
  if (target.username !== "" || target.password !== "") {
    const credentials = `${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`;
    headers.authorization = `Basic ${Buffer.from(credentials).toString("base64")}`;
    target.username = "";
    target.password = "";
  }
  const agentOptions = { keepAlive: true, timeout: idleSocketMs };
  const agent =
    target.protocol === "https:" ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);

  return (async <TResponse>({ payload, signal }: Parameters<RpcTransport>[0]) => {
    const body = JSON.stringify(payload, (_, value) =>
      typeof value === "bigint" ? Number(value) : value,
    );
    const answer = await sendHttpRequest(
      target,
      {
        method: "POST",
        headers: { ...headers, "content-length": Buffer.byteLength(body) },
        body,
        agent,
        ...(signal ? { signal } : {}),
      },
      async (response) => ({
        status: response.statusCode ?? 0,
        statusText: response.statusMessage ?? "",
        headers: response.headers,
        body: await readResponseText(response),
      }),
    );
    if (answer.status >= 200 && answer.status <= 299) return JSON.parse(answer.body) as TResponse;
    if (answer.status >= 400 && answer.status < 500 && answer.status !== 429) {
      const parsed = tryParse(answer.body);
      if (isJsonRpcError(parsed)) return parsed as TResponse;
    }
    throw toSolanaHttpError({ ...answer, body: "" });
  }) as RpcTransport;
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isJsonRpcError(value: unknown): boolean {
  if (typeof value !== "object" || value === null || !("error" in value)) return false;
  const error = (value as { error: unknown }).error;
  return typeof error === "object" && error !== null && "code" in error;
}
