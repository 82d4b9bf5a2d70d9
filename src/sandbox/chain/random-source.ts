/** A source of uniform numbers in [0, 1); injected so fault decisions are reproducible in tests. */
export type RandomSource = () => number;

/** mulberry32: tiny, fast and good enough for fault injection (not for keys). */
export function createSeededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
