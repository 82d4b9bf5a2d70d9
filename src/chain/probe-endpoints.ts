import { createSolanaRpcFromTransport } from "@solana/kit";
import type { Clock } from "../core/index.js";
import type { EndpointStatus } from "./endpoint-health.js";
import type { RpcPool } from "./rpc-pool.js";

export interface EndpointProbe extends EndpointStatus {
  readonly healthy: boolean;
  readonly slot: bigint | undefined;
  /** Round trip of the probe's getSlot, ms. */
  readonly probeMs: number | undefined;
  readonly probeError: string | undefined;
}

/** Asks every endpoint directly for getHealth then getSlot, and reports what the pool now knows. */
export async function probeEndpoints(pool: RpcPool, clock: Clock): Promise<EndpointProbe[]> {
  const probes = await Promise.all(
    pool.endpoints.map(async (endpoint) => {
      const rpc = createSolanaRpcFromTransport(endpoint.transport);
      try {
        await rpc.getHealth().send();
        const started = clock.now();
        const slot = await rpc.getSlot({ commitment: "confirmed" }).send();
        return { healthy: true, slot, probeMs: clock.now() - started, probeError: undefined };
      } catch (error) {
        const probeError = error instanceof Error ? error.message : String(error);
        return { healthy: false, slot: undefined, probeMs: undefined, probeError };
      }
    }),
  );
  return pool.getStatus().map((status, index) => ({
    ...status,
    ...(probes[index] ?? {
      healthy: false,
      slot: undefined,
      probeMs: undefined,
      probeError: "not probed",
    }),
  }));
}
