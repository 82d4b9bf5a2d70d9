import type { BreakerStrategy } from "./breaker-strategy.js";

/** Opens after `threshold` failures in a row; any success starts the count again. */
export function createConsecutiveBreakerStrategy(threshold: number): BreakerStrategy {
  if (!Number.isInteger(threshold) || threshold < 1) {
    throw new RangeError("Consecutive breaker threshold must be a positive integer");
  }
  let failures = 0;
  return {
    success() {
      failures = 0;
    },
    failure() {
      failures += 1;
      return failures >= threshold;
    },
    reset() {
      failures = 0;
    },
  };
}
