import {
  type Agent as HttpAgent,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
} from "node:http";
import { type Agent as HttpsAgent, request as httpsRequest } from "node:https";
import type { Readable } from "node:stream";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";

/** An answer's node:http headers as fetch's Headers (a repeated header keeps every value). */
export function toFetchHeaders(incoming: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.append(name, value);
  }
  return headers;
}

/** The body as UTF-8 text, decompressed as its content-encoding says (fetch does the same). */
export function readResponseText(response: IncomingMessage): Promise<string> {
  const encoding = response.headers["content-encoding"]?.trim().toLowerCase();
  let stream: Readable = response;
  if (encoding === "gzip" || encoding === "x-gzip") stream = response.pipe(createGunzip());
  else if (encoding === "br") stream = response.pipe(createBrotliDecompress());
  else if (encoding === "deflate") stream = response.pipe(createInflate());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let ended = false;
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => {
      ended = true;
      resolve(Buffer.concat(chunks).toString("utf8"));
    });
    stream.on("error", reject);
    if (stream !== response) response.on("error", reject);
    response.on("close", () => {
      if (!ended && !response.complete) reject(new Error("The response ended early"));
    });
  });
}

export interface HttpRequestOptions {
  readonly method: string;
  readonly headers: OutgoingHttpHeaders;
  readonly body?: string;
  /** A keep-alive pool for the URL's protocol; none for a one-off connection. */
  readonly agent?: HttpAgent | HttpsAgent;
  readonly signal?: AbortSignal;
}

/**
 * Sends one request over node:http(s) and hands its answer to `read`. Rejects with the signal's
 * reason when it aborts, and with the socket's error otherwise. A request that met a reset on a
 * reused idle keep-alive socket (the server closed it as we sent) got no answer at all, and is
 * sent once more.
 */
export function sendHttpRequest<T>(
  url: URL,
  options: HttpRequestOptions,
  read: (answer: IncomingMessage) => Promise<T>,
  retryStaleSocket = true,
): Promise<T> {
  const { signal } = options;
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let answered = false;
    const finish = (error: unknown, result?: { value: T }) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      if (result) resolve(result.value);
      else reject(error);
    };
    const request = (url.protocol === "https:" ? httpsRequest : httpRequest)(
      url,
      {
        method: options.method,
        headers: options.headers,
        ...(options.agent ? { agent: options.agent } : {}),
      },
      (answer) => {
        answered = true;
        read(answer).then((value) => finish(undefined, { value }), finish);
      },
    );
    const onAbort = () => {
      request.destroy();
      finish(signal?.reason);
    };
    request.on("error", (error: NodeJS.ErrnoException) => {
      const stale =
        retryStaleSocket &&
        !answered &&
        request.reusedSocket &&
        (error.code === "ECONNRESET" || error.code === "EPIPE");
      if (!settled && stale && !signal?.aborted) {
        settled = true;
        signal?.removeEventListener("abort", onAbort);
        sendHttpRequest(url, options, read, false).then(resolve, reject);
        return;
      }
      finish(error);
    });
    if (signal?.aborted) {
      onAbort();
      return;
    }
    signal?.addEventListener("abort", onAbort, { once: true });
    request.end(options.body);
  });
}
