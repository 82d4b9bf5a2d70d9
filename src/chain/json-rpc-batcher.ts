import {
  type RpcResponse,
  SOLANA_ERROR__RPC__TRANSPORT_HTTP_ERROR,
  SolanaError,
} from "@solana/kit";
import { toFetchHeaders } from "../core/http-request.js";
import { parseJsonWithBigInts, stringifyJsonWithBigInts } from "./json-with-bigints.js";
import type { JsonPoster, JsonPostResponse } from "./post-json.js";

/** A JSON-RPC request as kit builds it. */
export interface JsonRpcRequest {
  readonly jsonrpc: "2.0";
  readonly id: unknown;
  readonly method: string;
  readonly params?: unknown;
}

export interface JsonRpcBatcherOptions {
  readonly post: JsonPoster;
  /** Sends one request on its own: a lone request, and every request once batches are refused. */
  readonly sendOne: (request: JsonRpcRequest, signal?: AbortSignal) => Promise<unknown>;
  /** Requests per batch, at most (providers cap batches, commonly at 100). */
  readonly maxRequests: number;
  /** Turns a non-2xx answer into the error each request of the batch gets. */
  readonly toHttpError: (response: JsonPostResponse) => Error;
  /** Defers the flush; default setImmediate, after the I/O callbacks of this loop turn. */
  readonly defer?: (flush: () => void) => void;
}

export type JsonRpcBatcher = (request: JsonRpcRequest, signal?: AbortSignal) => Promise<unknown>;

interface Waiting {
  readonly request: JsonRpcRequest;
  readonly signal: AbortSignal | undefined;
  resolve(response: unknown): void;
  reject(error: unknown): void;
  /** Set once the request has its answer, or its caller gave up. */
  done: boolean;
  /** While queued or in flight: the caller's abort listener. */
  onAbort: (() => void) | undefined;
}

/**
 * Sends the Solana RPC requests made during one turn of the event loop as one JSON-RPC batch:
 * under load, each order's getBalance, sendTransaction and getTransaction meet those of other
 * orders, and one HTTP request replaces many (its CPU on both ends was most of a call's cost).
 *
 * Each request keeps its own fate: its answer or error, and its own abort. A lone request goes
 * out alone, unchanged. An endpoint that refuses batches (a non-2xx answer other than 429 and
 * 5xx, or an answer that is not an array) gets the batch's requests again one by one, and only
 * single requests from then on; the refused batch ran nothing, so nothing runs twice.
 */
export function createJsonRpcBatcher(options: JsonRpcBatcherOptions): JsonRpcBatcher {
  const { post, sendOne, maxRequests, toHttpError } = options;
  const defer = options.defer ?? ((flush: () => void) => setImmediate(flush));
  let queue: Waiting[] = [];
  let refused = false;
  let sendFlushQueued = false;

  function settle(waiting: Waiting, outcome: { value: unknown } | { error: unknown }): void {
    if (waiting.done) return;
    waiting.done = true;
    if (waiting.onAbort) waiting.signal?.removeEventListener("abort", waiting.onAbort);
    if ("value" in outcome) waiting.resolve(outcome.value);
    else waiting.reject(outcome.error);
  }

  function sendAlone(waiting: Waiting): void {
    sendOne(waiting.request, waiting.signal).then(
      (value) => settle(waiting, { value }),
      (error: unknown) => settle(waiting, { error }),
    );
  }

  async function sendBatch(batch: Waiting[]): Promise<void> {
    const controller = new AbortController();
    const abortIfAllGone = () => {
      if (batch.every((waiting) => waiting.done)) controller.abort();
    };
    for (const waiting of batch) waiting.signal?.addEventListener("abort", abortIfAllGone);
    try {
      // Ids are the batch positions: kit's own ids need not be unique or numeric.
      const body = `[${batch
        .map(({ request }, index) => stringifyJsonWithBigInts({ ...request, id: index }))
        .join(",")}]`;
      const response = await post(body, controller.signal);
      const answers = readBatchAnswer(response);
      if (answers === "refused") {
        refused = true;
        for (const waiting of batch) if (!waiting.done) sendAlone(waiting);
        return;
      }
      if (answers instanceof Error) {
        for (const waiting of batch) settle(waiting, { error: answers });
        return;
      }
      batch.forEach((waiting, index) => {
        const answer = answers.get(index);
        settle(
          waiting,
          answer === undefined
            ? { error: new Error(`The RPC batch answer has nothing for request ${index}.`) }
            : { value: { ...answer, id: waiting.request.id } },
        );
      });
    } catch (error) {
      for (const waiting of batch) settle(waiting, { error });
    } finally {
      for (const waiting of batch) waiting.signal?.removeEventListener("abort", abortIfAllGone);
    }
  }

  function readBatchAnswer(
    response: JsonPostResponse,
  ): Map<number, RpcResponse<unknown>> | Error | "refused" {
    if (response.status < 200 || response.status > 299) {
      const refusal = response.status >= 400 && response.status < 500 && response.status !== 429;
      return refusal ? "refused" : toHttpError(response);
    }
    const parsed = parseJsonWithBigInts(response.body);
    if (!Array.isArray(parsed)) return "refused";
    const answers = new Map<number, RpcResponse<unknown>>();
    for (const answer of parsed as Array<{ id?: unknown }>) {
      const id = typeof answer?.id === "bigint" ? Number(answer.id) : answer?.id;
      if (typeof id === "number") answers.set(id, answer as RpcResponse<unknown>);
    }
    return answers;
  }

  function flush(): void {
    const waiting = queue.filter((entry) => !entry.done);
    queue = [];
    for (let start = 0; start < waiting.length; start += maxRequests) {
      const batch = waiting.slice(start, start + maxRequests);
      const [only] = batch;
      if (batch.length === 1 && only !== undefined) sendAlone(only);
      else void sendBatch(batch);
    }
  }

  return (request, signal) => {
    if (refused || maxRequests <= 1) return sendOne(request, signal);
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const waiting: Waiting = {
        request,
        signal,
        resolve,
        reject,
        done: false,
        onAbort: undefined,
      };
      if (signal) {
        waiting.onAbort = () => settle(waiting, { error: signal.reason });
        signal.addEventListener("abort", waiting.onAbort, { once: true });
      }
      if (queue.length === 0) defer(flush);
      queue.push(waiting);
      // A transaction goes out once this run of code is done, with what it queued beside it,
      // not behind the loop's other callbacks: every ms before a send is a ms of slot lost.
      // The deferred flush then finds the queue empty.
      if (request.method === "sendTransaction" && !sendFlushQueued) {
        sendFlushQueued = true;
        queueMicrotask(() => {
          sendFlushQueued = false;
          flush();
        });
      }
    });
  };
}

/** The error kit's HTTP transport throws for a non-2xx answer. */
export function toSolanaHttpError(response: JsonPostResponse): SolanaError {
  return new SolanaError(SOLANA_ERROR__RPC__TRANSPORT_HTTP_ERROR, {
    headers: toFetchHeaders(response.headers),
    message: response.statusText,
    statusCode: response.status,
  });
}
