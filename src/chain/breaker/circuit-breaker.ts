import type { Clock } from "../../core/index.js";
import type { BreakerStrategy } from "./breaker-strategy.js";

export type BreakerState =
  | { readonly kind: "closed" }
  | { readonly kind: "open"; readonly until: number }
  | { readonly kind: "half-open" };

/** Permission to make one call; report exactly one outcome. */
export interface BreakerPermit {
  readonly probe: boolean;
  success(): void;
  failure(): void;
  /** The call ended for a reason that says nothing of the endpoint (caller abort, bad request). */
  release(): void;
}

export interface CircuitBreaker {
  getState(): BreakerState;
  /** True when `tryAcquire` would grant a call now (closed, or open and due for its probe). */
  isAvailable(): boolean;
  /** A permit, or undefined when open (or half-open with its one probe already out). */
  tryAcquire(): BreakerPermit | undefined;
}

export interface CircuitBreakerOptions {
  readonly strategy: BreakerStrategy;
  /** How long the circuit stays open before its probe. */
  readonly resetAfterMs: number;
  /** Each failed probe doubles the open time, up to this; a success resets it. Default: no growth. */
  readonly maxResetAfterMs?: number;
  readonly clock: Clock;
  readonly onStateChange?: (state: BreakerState) => void;
}

/** A circuit breaker whose half-open state lets exactly one probe through at a time. */
export function createCircuitBreaker(options: CircuitBreakerOptions): CircuitBreaker {
  const { strategy, resetAfterMs, clock } = options;
  const maxResetAfterMs = Math.max(resetAfterMs, options.maxResetAfterMs ?? resetAfterMs);
  let state: BreakerState = { kind: "closed" };
  let openFor = resetAfterMs;

  function transition(next: BreakerState): void {
    state = next;
    options.onStateChange?.(next);
  }

  function open(afterProbe: boolean): void {
    strategy.reset();
    // An endpoint that keeps failing its probes is probed less and less often.
    openFor = afterProbe ? Math.min(maxResetAfterMs, openFor * 2) : resetAfterMs;
    transition({ kind: "open", until: clock.now() + openFor });
  }

  function permit(probe: boolean): BreakerPermit {
    let settled = false;
    const settle = (outcome: () => void) => () => {
      if (settled) return;
      settled = true;
      outcome();
    };
    return {
      probe,
      success: settle(() => {
        if (probe) {
          strategy.reset();
          transition({ kind: "closed" });
        } else if (state.kind === "closed") {
          strategy.success(clock.now());
        }
      }),
      failure: settle(() => {
        if (probe) open(true);
        else if (state.kind === "closed" && strategy.failure(clock.now())) open(false);
      }),
      release: settle(() => {
        // An abandoned probe proved nothing: let the next caller probe at once.
        if (probe) transition({ kind: "open", until: clock.now() });
      }),
    };
  }

  return {
    getState: () => state,
    isAvailable() {
      switch (state.kind) {
        case "closed":
          return true;
        case "open":
          return clock.now() >= state.until;
        case "half-open":
          return false;
        default:
          return state satisfies never;
      }
    },
    tryAcquire() {
      switch (state.kind) {
        case "closed":
          return permit(false);
        case "open":
          if (clock.now() < state.until) return undefined;
          transition({ kind: "half-open" });
          return permit(true);
        case "half-open":
          return undefined;
        default:
          return state satisfies never;
      }
    },
  };
}
