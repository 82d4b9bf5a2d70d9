import type { RpcTransport } from "@solana/kit";

/** Thrown into the shared request when its last consumer aborted; never reaches a caller. */
const ABANDONED = Symbol("abandoned");

interface Shared {
  readonly controller: AbortController;
  readonly response: Promise<unknown>;
  consumers: number;
}

/**
 * kit's request coalescing (not exported by kit): identical requests made in the same tick share
 * one call. `getKey` returns the identity of a request, or undefined for one never to share.
 * Each consumer may abort alone; the shared call is aborted when the last one does.
 */
export function getTransportWithRequestCoalescing(
  transport: RpcTransport,
  getKey: (payload: unknown) => string | undefined,
): RpcTransport {
  let inTick: Map<string, Shared> | undefined;
  return (async <TResponse>(config: Parameters<RpcTransport>[0]): Promise<TResponse> => {
    const key = getKey(config.payload);
    if (key === undefined) return transport<TResponse>(config);
    if (inTick === undefined) {
      inTick = new Map();
      queueMicrotask(() => {
        inTick = undefined;
      });
    }
    let shared = inTick.get(key);
    if (shared === undefined) {
      const controller = new AbortController();
      const response = transport({ ...config, signal: controller.signal }).catch(
        (error: unknown) => {
          if (error === ABANDONED) return undefined;
          throw error;
        },
      );
      shared = { controller, response, consumers: 0 };
      inTick.set(key, shared);
    }
    const current = shared;
    current.consumers += 1;
    const { signal } = config;
    if (!signal) return (await current.response) as TResponse;
    return new Promise<TResponse>((resolve, reject) => {
      const onAbort = () => {
        current.consumers -= 1;
        queueMicrotask(() => {
          if (current.consumers === 0) current.controller.abort(ABANDONED);
        });
        reject(signal.reason);
      };
      if (signal.aborted) {
        onAbort();
        return;
      }
      signal.addEventListener("abort", onAbort, { once: true });
      current.response
        .then((value) => resolve(value as TResponse), reject)
        .finally(() => signal.removeEventListener("abort", onAbort));
    });
  }) as RpcTransport;
}
