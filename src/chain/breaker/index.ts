export * from "./breaker-strategy.js";
export * from "./circuit-breaker.js";
export * from "./consecutive-breaker-strategy.js";
export * from "./sampling-breaker-strategy.js";
