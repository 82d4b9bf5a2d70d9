/** Jito's `GET /api/v1/bundles/tip_floor` entry: landed tips by percentile, in SOL. */
export interface TipFloorEntry {
  time: string;
  landed_tips_25th_percentile: number;
  landed_tips_50th_percentile: number;
  landed_tips_75th_percentile: number;
  landed_tips_95th_percentile: number;
  landed_tips_99th_percentile: number;
  ema_landed_tips_50th_percentile: number;
}

export interface TipFloor {
  /** A bundle landed with this tip. */
  record(lamports: bigint): void;
  snapshot(): TipFloorEntry;
}

const LAMPORTS_PER_SOL = 1_000_000_000;
/** Tips considered: those landed in the last five minutes (Jito's window for in-flight data). */
const WINDOW_MS = 5 * 60_000;
const MAX_SAMPLES = 10_000;
const EMA_ALPHA = 0.2;
/**
 * Before any bundle has landed: a quiet mainnet's floor (1,000 lamports at the 25th percentile up
 * to 0.001 SOL at the 99th), so a client sizing its tip from the floor gets a sane figure.
 */
export const DEFAULT_TIP_PERCENTILES_LAMPORTS = {
  p25: 1_000,
  p50: 10_000,
  p75: 50_000,
  p95: 200_000,
  p99: 1_000_000,
} as const;

/** Nearest-rank percentile of an ascending list. */
function percentile(sorted: readonly number[], p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? 0;
}

/** The tip floor over the tips this block engine actually landed. */
export function createTipFloor(now: () => number = Date.now): TipFloor {
  const samples: { at: number; lamports: number }[] = [];
  let ema: number = DEFAULT_TIP_PERCENTILES_LAMPORTS.p50;
  const recent = () => {
    const since = now() - WINDOW_MS;
    while (samples.length > 0 && (samples[0]?.at ?? 0) < since) samples.shift();
    return samples.map((s) => s.lamports).sort((a, b) => a - b);
  };
  const percentiles = () => {
    const sorted = recent();
    if (sorted.length === 0) return DEFAULT_TIP_PERCENTILES_LAMPORTS;
    return {
      p25: percentile(sorted, 25),
      p50: percentile(sorted, 50),
      p75: percentile(sorted, 75),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
    };
  };
  const sol = (lamports: number) => lamports / LAMPORTS_PER_SOL;
  return {
    record(lamports) {
      samples.push({ at: now(), lamports: Number(lamports) });
      if (samples.length > MAX_SAMPLES) samples.shift();
      ema += EMA_ALPHA * (percentiles().p50 - ema);
    },
    snapshot() {
      const p = percentiles();
      return {
        time: new Date(now()).toISOString().replace(/\.\d{3}Z$/, "Z"),
        landed_tips_25th_percentile: sol(p.p25),
        landed_tips_50th_percentile: sol(p.p50),
        landed_tips_75th_percentile: sol(p.p75),
        landed_tips_95th_percentile: sol(p.p95),
        landed_tips_99th_percentile: sol(p.p99),
        ema_landed_tips_50th_percentile: sol(ema),
      };
    },
  };
}
