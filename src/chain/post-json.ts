import { Agent as HttpAgent, type IncomingHttpHeaders } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { readResponseText, sendHttpRequest } from "../core/http-request.js";

export interface JsonPostResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: IncomingHttpHeaders;
  /** The decoded body; empty for a non-2xx answer, whose body is discarded. */
  readonly body: string;
}

export type JsonPoster = (body: string, signal?: AbortSignal) => Promise<JsonPostResponse>;

export interface JsonPosterOptions {
  /** Sent with every request (lower-case names); content-type, accept and length are set here. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Idle keep-alive sockets close after this (default 4 s, below the usual 5 s server timeout). */
  readonly idleSocketMs?: number;
}

const MAX_REDIRECTS = 5;

/**
 * POSTs JSON to one URL over keep-alive node:http(s) sockets: the same request fetch would send,
 * at a fraction of undici's CPU per call (`sendHttpRequest`: aborts, and one more try after a
 * reset on a reused idle socket).
 */
export function createJsonPoster(url: string, options: JsonPosterOptions = {}): JsonPoster {
  const target = new URL(url);
  const secure = target.protocol === "https:";
  const agentOptions = { keepAlive: true, timeout: options.idleSocketMs ?? 4_000 };
  const agent = secure ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
  const headers = {
    ...options.headers,
    accept: "application/json",
    "content-type": "application/json; charset=utf-8",
  };

  function send(
    to: URL,
    body: string,
    signal: AbortSignal | undefined,
    hops: number,
  ): Promise<JsonPostResponse> {
    const request = {
      method: "POST",
      headers: { ...headers, "content-length": Buffer.byteLength(body) },
      body,
      // A redirect to another origin goes out without our pooled agent.
      ...(to.origin === target.origin ? { agent } : {}),
      ...(signal ? { signal } : {}),
    };
    return sendHttpRequest(to, request, async (response) => {
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if ((status === 307 || status === 308) && location !== undefined && hops < MAX_REDIRECTS) {
        // fetch follows these two keeping method and body; JSON-RPC needs no other kind.
        response.resume();
        return send(new URL(location, to), body, signal, hops + 1);
      }
      const answer = {
        status,
        statusText: response.statusMessage ?? "",
        headers: response.headers,
      };
      if (status < 200 || status > 299) {
        response.resume();
        return { ...answer, body: "" };
      }
      return { ...answer, body: await readResponseText(response) };
    });
  }

  return (body, signal) => send(target, body, signal, 0);
}
