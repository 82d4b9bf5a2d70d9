import { Counter, Gauge, Histogram, type Registry } from "prom-client";

export interface AutomationMetrics {
  /** A firing placed its order. */
  fired(type: string): void;
  /** A trigger ended without its order, or was refused (GRANT_LIMIT_EXCEEDED, ORDER_FAILED…). */
  failed(reason: string): void;
  /** Seconds from the price crossing to the order's first send (its SIGNED write, just before). */
  crossingToSend(seconds: number): void;
  /** Where the gauges read on scrape: armed triggers by type and the price feed's lag. */
  track(read: { armedByType(): ReadonlyMap<string, number>; feedLagSeconds(): number }): void;
}

/** Issue 20's automation metrics, on the registry it is given (never the global one). */
export function createAutomationMetrics(registry: Registry): AutomationMetrics {
  let source: Parameters<AutomationMetrics["track"]>[0] = {
    armedByType: () => new Map(),
    feedLagSeconds: () => 0,
  };
  const firings = new Counter({
    name: "osprey_trigger_firings_total",
    help: "Trigger firings that placed an order, by type",
    labelNames: ["type"],
    registers: [registry],
  });
  const failures = new Counter({
    name: "osprey_trigger_failures_total",
    help: "Triggers failed or cancelled by the system, by reason code",
    labelNames: ["reason"],
    registers: [registry],
  });
  const crossing = new Histogram({
    name: "osprey_trigger_crossing_to_send_seconds",
    help: "Time from a trigger's price crossing to its order's first send",
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  new Gauge({
    name: "osprey_triggers_armed",
    help: "Armed triggers this instance watches, by type",
    labelNames: ["type"],
    registers: [registry],
    collect() {
      this.reset();
      for (const [type, count] of source.armedByType()) this.set({ type }, count);
    },
  });
  new Gauge({
    name: "osprey_trigger_price_feed_lag_seconds",
    help: "Seconds since the trigger price feed last advanced (SOL's blockId)",
    registers: [registry],
    collect() {
      this.set(source.feedLagSeconds());
    },
  });
  return {
    fired: (type) => firings.inc({ type }),
    failed: (reason) => failures.inc({ reason }),
    crossingToSend: (seconds) => crossing.observe(seconds),
    track(read) {
      source = read;
    },
  };
}
