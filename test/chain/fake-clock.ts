import type { Timers } from "../../src/chain/timers.js";
import type { Clock } from "../../src/core/index.js";
import { createSeededRandom as createSandboxRandom } from "../../src/sandbox/index.js";

/** A clock and timers that move only when the test says so. */
export interface FakeClock extends Clock, Timers {
  advance(ms: number): void;
  /** Advance in steps, letting promise callbacks run between timer firings. */
  advanceAsync(ms: number, stepMs?: number): Promise<void>;
  pendingTimers(): number;
}

export function createFakeClock(start = 1_000_000): FakeClock {
  let now = start;
  let nextId = 1;
  const timers = new Map<number, { at: number; callback: () => void }>();

  function runDue(): void {
    for (;;) {
      let due: [number, { at: number; callback: () => void }] | undefined;
      for (const entry of timers) {
        if (entry[1].at <= now && (due === undefined || entry[1].at < due[1].at)) due = entry;
      }
      if (due === undefined) return;
      timers.delete(due[0]);
      due[1].callback();
    }
  }

  return {
    now: () => now,
    setTimeout(callback, ms) {
      const id = nextId++;
      timers.set(id, { at: now + Math.max(0, ms), callback });
      return id;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    advance(ms) {
      now += ms;
      runDue();
    },
    async advanceAsync(ms, stepMs = 10) {
      const end = now + ms;
      while (now < end) {
        now = Math.min(end, now + stepMs);
        runDue();
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
    pendingTimers: () => timers.size,
  };
}

/** A deterministic random source (the sandbox's mulberry32), seed 42 unless told. */
export const createSeededRandom = (seed = 42): (() => number) => createSandboxRandom(seed);
