/** Exponentially weighted moving average, time-decayed: a sample after a long gap weighs more. */
export interface Ewma {
  add(value: number, now: number): void;
  /** The average, or undefined before the first sample. */
  get(): number | undefined;
}

export function createEwma(halfLifeMs: number): Ewma {
  let value: number | undefined;
  let last = 0;
  return {
    add(sample, now) {
      if (value === undefined) {
        value = sample;
      } else {
        const elapsed = Math.max(0, now - last);
        // Weight of the old average halves every half-life; floor keeps bursts from freezing it.
        const keep = Math.min(0.9, 0.5 ** (elapsed / halfLifeMs));
        value = value * keep + sample * (1 - keep);
      }
      last = now;
    },
    get: () => value,
  };
}
