import { collectDefaultMetrics, Registry } from "prom-client";

export interface MetricsRegistryOptions {
  /** Process metrics (CPU, memory, event loop); off in tests that build many registries. */
  readonly defaultMetrics?: boolean;
  readonly prefix?: string;
}

/** A fresh prom-client registry; each component registers its own metrics on the one it is given. */
export function createMetricsRegistry(options: MetricsRegistryOptions = {}): Registry {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) {
    collectDefaultMetrics({
      register: registry,
      ...(options.prefix ? { prefix: options.prefix } : {}),
    });
  }
  return registry;
}
