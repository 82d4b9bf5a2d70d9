/** Releases the place taken by `enter`; a second call does nothing. */
export type Release = () => void;

export interface AdmissionGate {
  /** Waits, first come first served, until fewer than `limit` holders are inside. */
  enter(): Promise<Release>;
  /** Holders inside now. */
  readonly active: number;
  /** Callers waiting to enter. */
  readonly waiting: number;
}

/**
 * A counting semaphore with a FIFO queue. Work that shares one event loop, started all at once,
 * advances in lockstep and finishes all at once; admitting a bounded number at a time lets the
 * first ones finish first, and the others wait without costing anything.
 */
export function createAdmissionGate(limit: number): AdmissionGate {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError("limit must be a positive integer");
  let active = 0;
  const queue: Array<() => void> = [];

  function release(): void {
    const next = queue.shift();
    if (next) next();
    else active -= 1;
  }

  function ticket(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      release();
    };
  }

  return {
    enter() {
      if (active < limit) {
        active += 1;
        return Promise.resolve(ticket());
      }
      // The place passes straight from the releasing holder to the next in line.
      return new Promise<Release>((resolve) => queue.push(() => resolve(ticket())));
    },
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    },
  };
}
