import type { ChainMetrics } from "./chain-metrics.js";
import type { LandingRoute, RouteSendResult } from "./landing-routes.js";

export interface BroadcastOptions {
  /** Routes still busy with an earlier copy of this transaction: skipped this round. */
  readonly busy: Set<LandingRoute>;
  readonly metrics: ChainMetrics | undefined;
  readonly onAccepted?: (route: LandingRoute, result: RouteSendResult) => void;
}

/**
 * Sends the same bytes to every available route at once (preflight and node retries off: the
 * lander rebroadcasts itself) and returns how many it targeted, without waiting for answers: a
 * slow route must not hold back the next round. A route that has not answered the previous copy
 * yet is skipped, so a hanging route does not pile up requests. An error only means that copy
 * did not get through.
 */
export function broadcastTransaction(
  routes: readonly LandingRoute[],
  transaction: string,
  options: BroadcastOptions,
): { readonly targeted: number; readonly done: Promise<number> } {
  const { busy, metrics } = options;
  const targets = routes.filter((route) => route.isAvailable() && !busy.has(route));
  for (const route of targets) busy.add(route);
  const done = Promise.all(
    targets.map((route) =>
      route.send(transaction).then(
        (result) => {
          busy.delete(route);
          metrics?.landingSends.inc({ route: route.kind, result: "accepted" });
          options.onAccepted?.(route, result);
          return 1;
        },
        () => {
          busy.delete(route);
          metrics?.landingSends.inc({ route: route.kind, result: "refused" });
          return 0;
        },
      ),
    ),
  ).then((accepted) => accepted.reduce((sum: number, n) => sum + n, 0));
  return { targeted: targets.length, done };
}
