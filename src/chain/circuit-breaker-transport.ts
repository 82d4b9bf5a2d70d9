import type { RpcTransport } from "@solana/kit";
import { type Clock, OspreyError } from "../core/index.js";
import type { EndpointHealth } from "./endpoint-health.js";
import { getErrorOutcome, getResponseOutcome, type RpcOutcome } from "./rpc-outcome.js";
import { getRequestMethod } from "./rpc-request.js";

/**
 * Guards one endpoint: refuses at once while its circuit is open or a 429 back-off runs, and
 * reports every outcome to its breaker. Only endpoint faults count as failures; JSON-RPC errors
 * caused by the request pass through untouched.
 */
export function getTransportWithCircuitBreaker(
  transport: RpcTransport,
  health: EndpointHealth,
  clock: Clock,
): RpcTransport {
  const endpoint = health.config.label;
  return (async <TResponse>(config: Parameters<RpcTransport>[0]) => {
    const method = getRequestMethod(config.payload);
    const permit = health.isAvailable() ? health.breaker.tryAcquire() : undefined;
    if (permit === undefined) {
      throw new OspreyError(
        "RPC_UNAVAILABLE",
        `RPC endpoint ${endpoint} is not accepting requests`,
        {
          endpoint,
          method,
          reason: "circuit-open",
        },
      );
    }
    const started = clock.now();
    let outcome: RpcOutcome;
    let response: TResponse;
    try {
      response = await transport<TResponse>(config);
      outcome = getResponseOutcome(response);
    } catch (error) {
      outcome = getErrorOutcome(error, config.signal, clock.now());
      settle(outcome);
      throw error;
    }
    settle(outcome);
    if (outcome.kind === "fault") {
      // The node answered but is unhealthy: let the pool try elsewhere, keeping the answer.
      throw new OspreyError("RPC_ENDPOINT_ERROR", `RPC endpoint ${endpoint} is unhealthy`, {
        endpoint,
        method,
        response,
      });
    }
    return response;

    function settle(result: RpcOutcome): void {
      health.record(result, clock.now() - started);
      switch (result.kind) {
        case "ok":
        case "rpc-error":
          permit?.success();
          return;
        case "fault":
          permit?.failure();
          return;
        case "aborted":
          permit?.release();
          return;
        default:
          result satisfies never;
      }
    }
  }) as RpcTransport;
}
