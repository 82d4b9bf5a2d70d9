import type { RpcTransport } from "@solana/kit";
import { OspreyError } from "../core/index.js";
import { getRequestMethod } from "./rpc-request.js";
import type { Timers } from "./timers.js";

export interface TimeoutOptions {
  /** Default per-request timeout, ms (10 s). */
  readonly timeoutMs?: number;
  /** Overrides by JSON-RPC method, e.g. `{ getProgramAccounts: 30_000 }`. */
  readonly methodTimeoutsMs?: Readonly<Record<string, number>>;
  readonly timers: Timers;
}

export const DEFAULT_RPC_TIMEOUT_MS = 10_000;

/** Aborts the inner request after the method's timeout and rejects with RPC_TIMEOUT. */
export function getTransportWithTimeout(
  transport: RpcTransport,
  options: TimeoutOptions,
): RpcTransport {
  const { timers } = options;
  return (<TResponse>(config: Parameters<RpcTransport>[0]) => {
    const method = getRequestMethod(config.payload);
    const timeoutMs =
      options.methodTimeoutsMs?.[method] ?? options.timeoutMs ?? DEFAULT_RPC_TIMEOUT_MS;
    const controller = new AbortController();
    const outer = config.signal;
    const onOuterAbort = () => controller.abort(outer?.reason);
    if (outer?.aborted) onOuterAbort();
    else outer?.addEventListener("abort", onOuterAbort, { once: true });

    return new Promise<TResponse>((resolve, reject) => {
      const handle = timers.setTimeout(() => {
        const error = new OspreyError(
          "RPC_TIMEOUT",
          `RPC ${method} timed out after ${timeoutMs} ms`,
          {
            method,
            timeoutMs,
          },
        );
        controller.abort(error);
        reject(error);
      }, timeoutMs);
      transport<TResponse>({ ...config, signal: controller.signal })
        .then(resolve, (error: unknown) =>
          // After our abort the inner error is noise; report the cause the caller can act on.
          reject(controller.signal.aborted ? controller.signal.reason : error),
        )
        .finally(() => {
          timers.clearTimeout(handle);
          outer?.removeEventListener("abort", onOuterAbort);
        });
    });
  }) as RpcTransport;
}
