export { createMetricsRegistry, type MetricsRegistryOptions } from "./metrics-registry.js";
