import type { EndpointHealth } from "./endpoint-health.js";

/** Latency added to every EWMA before inverting it, so 2 ms vs 4 ms doesn't halve a weight. */
const LATENCY_BIAS_MS = 25;

/**
 * Picks one endpoint at random, in proportion to `weight / (latency + bias)`: the configured
 * weight, favouring the faster. Endpoints without a latency yet are scored at the mean.
 */
export function selectEndpoint(
  candidates: readonly EndpointHealth[],
  random: () => number,
): EndpointHealth | undefined {
  if (candidates.length <= 1) return candidates[0];
  const known = candidates
    .map((candidate) => candidate.getLatencyMs())
    .filter((latency): latency is number => latency !== undefined);
  const meanLatency = known.length === 0 ? 0 : known.reduce((a, b) => a + b, 0) / known.length;
  const scores = candidates.map(
    (candidate) =>
      candidate.config.weight / ((candidate.getLatencyMs() ?? meanLatency) + LATENCY_BIAS_MS),
  );
  const total = scores.reduce((a, b) => a + b, 0);
  let pick = random() * total;
  for (const [index, score] of scores.entries()) {
    pick -= score;
    if (pick < 0) return candidates[index];
  }
  return candidates.at(-1);
}
