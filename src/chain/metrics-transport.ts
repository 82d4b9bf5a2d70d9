import type { RpcTransport } from "@solana/kit";
import type { Clock } from "../core/index.js";
import type { ChainMetrics } from "./chain-metrics.js";
import { getErrorOutcome, getOutcomeLabel, getResponseOutcome } from "./rpc-outcome.js";
import { getRequestMethod } from "./rpc-request.js";

/** Counts and times every request that reaches one endpoint, labelled by its redacted URL. */
export function getTransportWithMetrics(
  transport: RpcTransport,
  metrics: ChainMetrics,
  endpoint: string,
  clock: Clock,
): RpcTransport {
  return (async <TResponse>(config: Parameters<RpcTransport>[0]) => {
    const method = getRequestMethod(config.payload);
    const started = clock.now();
    const observe = (status: string) => {
      metrics.rpcRequests.inc({ endpoint, method, status });
      metrics.rpcDuration.observe({ endpoint, method }, (clock.now() - started) / 1000);
    };
    try {
      const response = await transport<TResponse>(config);
      observe(getOutcomeLabel(getResponseOutcome(response)));
      return response;
    } catch (error) {
      observe(getOutcomeLabel(getErrorOutcome(error, config.signal, clock.now())));
      throw error;
    }
  }) as RpcTransport;
}
