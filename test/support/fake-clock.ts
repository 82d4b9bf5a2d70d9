import type { Clock } from "../../src/core/clock.js";

/** A clock that moves only when the test says so. */
export function createFakeClock(start = Date.UTC(2026, 0, 1)) {
  let now = start;
  const clock: Clock & { advance(ms: number): void; set(ms: number): void } = {
    now: () => now,
    advance(ms) {
      now += ms;
    },
    set(ms) {
      now = ms;
    },
  };
  return clock;
}
