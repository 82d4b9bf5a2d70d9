/**
 * Decides when a closed circuit should open. The breaker owns the state; a strategy only counts.
 * `failure` returns true when the circuit should open now.
 */
export interface BreakerStrategy {
  success(now: number): void;
  failure(now: number): boolean;
  /** Forget everything: called when the circuit closes or opens. */
  reset(): void;
}

/** Opens when any of the strategies says so (e.g. 5 in a row, or 50% over 30 s). */
export function createAnyOfBreakerStrategy(
  strategies: readonly BreakerStrategy[],
): BreakerStrategy {
  return {
    success(now) {
      for (const strategy of strategies) strategy.success(now);
    },
    failure(now) {
      let open = false;
      for (const strategy of strategies) open = strategy.failure(now) || open;
      return open;
    },
    reset() {
      for (const strategy of strategies) strategy.reset();
    },
  };
}
