import type { Signature } from "@solana/kit";
import type { Clock } from "../core/index.js";
import type { ChainMetrics } from "./chain-metrics.js";
import { MAX_BUNDLE_SIZE } from "./jito-client.js";
import type { LandingRoute } from "./landing-routes.js";
import type { LandingEvent } from "./landing-types.js";

export interface BundleReportContext {
  readonly signature: Signature;
  readonly clock: Clock;
  readonly metrics: ChainMetrics | undefined;
  readonly emit: (event: LandingEvent) => void;
}

/**
 * Reporting only: asks each block engine that accepted a bundle of this transaction for its
 * in-flight status (`getInflightBundleStatuses`, 5 ids a call) and counts and emits what it says.
 * The landing's outcome never depends on it (that comes from the RPC pool's signature statuses);
 * a block engine that cannot answer yields "unknown".
 */
export async function reportBundleStatuses(
  bundles: ReadonlyMap<LandingRoute, ReadonlySet<string>>,
  context: BundleReportContext,
): Promise<void> {
  const { signature, clock, metrics, emit } = context;
  await Promise.all(
    [...bundles].map(async ([route, ids]) => {
      const engine = route.blockEngine;
      if (engine === undefined) return;
      const all = [...ids];
      for (let i = 0; i < all.length; i += MAX_BUNDLE_SIZE) {
        const chunk = all.slice(i, i + MAX_BUNDLE_SIZE);
        const answer = await engine.getInflightBundleStatuses(chunk).catch(() => undefined);
        chunk.forEach((bundleId, index) => {
          const entry = answer?.value[index] ?? null;
          const status = entry?.status ?? "unknown";
          metrics?.bundleStatuses.inc({ status });
          emit({
            kind: "bundle-status",
            signature,
            at: clock.now(),
            route: route.label,
            bundleId,
            status,
            landedSlot: entry?.landedSlot ?? null,
          });
        });
      }
    }),
  );
}
