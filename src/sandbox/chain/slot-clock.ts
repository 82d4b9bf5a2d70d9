/** The timer functions the clock needs; tests pass fakes, production passes the globals. */
export interface Timer {
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface SlotClock {
  readonly running: boolean;
  readonly slotMs: number;
  /** Starts ticking; a no-op when already running. */
  resume(): void;
  /** Stops ticking; slots then advance only through explicit `advance` calls. */
  pause(): void;
}

export interface SlotClockOptions {
  slotMs: number;
  onTick: () => void;
  timer?: Timer;
}

export const systemTimer: Timer = {
  setInterval(callback, ms) {
    const handle = setInterval(callback, ms);
    // The clock alone must never keep a process (or a test worker) alive.
    handle.unref();
    return handle;
  },
  clearInterval(handle) {
    clearInterval(handle as ReturnType<typeof setInterval>);
  },
};

export function createSlotClock(options: SlotClockOptions): SlotClock {
  const timer = options.timer ?? systemTimer;
  let handle: unknown = null;
  return {
    get running() {
      return handle !== null;
    },
    slotMs: options.slotMs,
    resume() {
      if (handle === null) handle = timer.setInterval(options.onTick, options.slotMs);
    },
    pause() {
      if (handle !== null) timer.clearInterval(handle);
      handle = null;
    },
  };
}
