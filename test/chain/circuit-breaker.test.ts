import { describe, expect, it } from "vitest";
import {
  createCircuitBreaker,
  createConsecutiveBreakerStrategy,
  createSamplingBreakerStrategy,
} from "../../src/chain/breaker/index.js";
import { createFakeClock } from "./fake-clock.js";

function setup(threshold = 3, resetAfterMs = 1_000) {
  const clock = createFakeClock();
  const states: string[] = [];
  const breaker = createCircuitBreaker({
    strategy: createConsecutiveBreakerStrategy(threshold),
    resetAfterMs,
    clock,
    onStateChange: (state) => states.push(state.kind),
  });
  const fail = () => breaker.tryAcquire()?.failure();
  const succeed = () => breaker.tryAcquire()?.success();
  return { clock, breaker, states, fail, succeed };
}

describe("circuit breaker", () => {
  it("opens after N consecutive failures and refuses until the reset time", () => {
    const { clock, breaker, fail } = setup(3, 1_000);
    fail();
    fail();
    expect(breaker.getState().kind).toBe("closed");
    fail();
    expect(breaker.getState()).toEqual({ kind: "open", until: clock.now() + 1_000 });
    expect(breaker.tryAcquire()).toBeUndefined();
    clock.advance(999);
    expect(breaker.isAvailable()).toBe(false);
  });

  it("a success in a closed circuit resets the consecutive count", () => {
    const { breaker, fail, succeed } = setup(3);
    fail();
    fail();
    succeed();
    fail();
    fail();
    expect(breaker.getState().kind).toBe("closed");
  });

  it("lets exactly one probe through when half-open, and closes on its success", () => {
    const { clock, breaker, fail, states } = setup(1, 1_000);
    fail();
    clock.advance(1_000);
    const probe = breaker.tryAcquire();
    expect(probe?.probe).toBe(true);
    expect(breaker.getState().kind).toBe("half-open");
    // Concurrent callers are refused while the probe is out.
    expect(breaker.tryAcquire()).toBeUndefined();
    expect(breaker.tryAcquire()).toBeUndefined();
    probe?.success();
    expect(breaker.getState().kind).toBe("closed");
    expect(states).toEqual(["open", "half-open", "closed"]);
  });

  it("a failed probe re-opens for another full reset period", () => {
    const { clock, breaker, fail } = setup(1, 1_000);
    fail();
    clock.advance(1_000);
    breaker.tryAcquire()?.failure();
    expect(breaker.getState()).toEqual({ kind: "open", until: clock.now() + 1_000 });
  });

  it("an abandoned probe frees the slot for the next caller", () => {
    const { clock, breaker, fail } = setup(1, 1_000);
    fail();
    clock.advance(1_000);
    breaker.tryAcquire()?.release();
    expect(breaker.tryAcquire()?.probe).toBe(true);
  });

  it("closing clears the counts: the next failures start from zero", () => {
    const { clock, breaker, fail } = setup(2, 1_000);
    fail();
    fail();
    clock.advance(1_000);
    breaker.tryAcquire()?.success();
    fail();
    expect(breaker.getState().kind).toBe("closed");
  });

  it("outcomes of calls that started before the circuit opened are ignored", () => {
    const { breaker, fail } = setup(1);
    const late = breaker.tryAcquire();
    fail();
    late?.success();
    expect(breaker.getState().kind).toBe("open");
  });
});

describe("sampling strategy", () => {
  it("opens at the failure rate over the window, and old failures decay", () => {
    const strategy = createSamplingBreakerStrategy({
      threshold: 0.5,
      windowMs: 10_000,
      minimumCalls: 4,
    });
    let now = 0;
    expect(strategy.failure(now)).toBe(false); // 1 call: below the minimum
    strategy.success(now);
    strategy.success(now);
    expect(strategy.failure(now)).toBe(true); // 2 of 4
    strategy.reset();
    for (let i = 0; i < 3; i += 1) strategy.failure(now);
    now += 11_000;
    strategy.success(now);
    strategy.success(now);
    strategy.success(now);
    expect(strategy.failure(now)).toBe(false); // the three old failures left the window
  });
});

describe("probe back-off", () => {
  it("doubles the open time after each failed probe, up to the max, and resets on success", () => {
    const clock = createFakeClock();
    const breaker = createCircuitBreaker({
      strategy: createConsecutiveBreakerStrategy(1),
      resetAfterMs: 1_000,
      maxResetAfterMs: 3_000,
      clock,
    });
    const openFor = () => {
      const state = breaker.getState();
      return state.kind === "open" ? state.until - clock.now() : -1;
    };
    breaker.tryAcquire()?.failure();
    expect(openFor()).toBe(1_000);
    clock.advance(1_000);
    breaker.tryAcquire()?.failure();
    expect(openFor()).toBe(2_000);
    clock.advance(2_000);
    breaker.tryAcquire()?.failure();
    expect(openFor()).toBe(3_000);
    clock.advance(3_000);
    breaker.tryAcquire()?.success();
    breaker.tryAcquire()?.failure();
    expect(openFor()).toBe(1_000);
  });
});
