import { OspreyError } from "../core/osprey-error.js";

export interface KdfLimiterOptions {
  /** Derivations running at once; each holds its argon2 memory (64 MiB by default). */
  readonly maxConcurrent?: number;
  /** Callers allowed to wait; beyond it a call fails fast with BUSY rather than piling up. */
  readonly maxQueued?: number;
}

export interface KdfLimiter {
  run<T>(task: () => Promise<T>): Promise<T>;
  readonly running: number;
  readonly queued: number;
  readonly maxConcurrent: number;
}

/** Bounds concurrent argon2 work so memory stays at maxConcurrent × m, whatever the load. */
export function createKdfLimiter(options: KdfLimiterOptions = {}): KdfLimiter {
  const maxConcurrent = options.maxConcurrent ?? 2;
  const maxQueued = options.maxQueued ?? 64;
  if (!Number.isSafeInteger(maxConcurrent) || maxConcurrent < 1) {
    throw new OspreyError("CONFIG_INVALID", "KDF maxConcurrent must be a positive integer.");
  }
  if (!Number.isSafeInteger(maxQueued) || maxQueued < 0) {
    throw new OspreyError("CONFIG_INVALID", "KDF maxQueued must be a non-negative integer.");
  }
  const waiting: (() => void)[] = [];
  let running = 0;

  function release() {
    const next = waiting.shift();
    // Hand the slot straight to the next waiter so `running` never dips and lets a newcomer jump in.
    if (next) next();
    else running -= 1;
  }

  async function run<T>(task: () => Promise<T>): Promise<T> {
    if (running >= maxConcurrent) {
      if (waiting.length >= maxQueued) {
        throw new OspreyError("BUSY", "Too many wallet unlocks in progress; retry shortly.", {
          maxConcurrent,
          maxQueued,
        });
      }
      await new Promise<void>((resolve) => waiting.push(resolve));
    } else {
      running += 1;
    }
    try {
      return await task();
    } finally {
      release();
    }
  }

  return {
    run,
    get running() {
      return running;
    },
    get queued() {
      return waiting.length;
    },
    maxConcurrent,
  };
}
