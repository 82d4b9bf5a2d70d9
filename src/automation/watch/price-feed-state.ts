import type { UsdPriceQuote } from "../../swap/price-batch.js";
import type { MintPrice } from "./trigger-evaluator.js";

/**
 * What the watcher knows of the feed between ticks: each mint's last fetch, and when SOL's
 * `blockId` last advanced. Stale data evaluates nothing (src/automation/README.md).
 */
export function createPriceFeedState(maxAgeMs: number, solMint: string) {
  const fetched = new Map<string, MintPrice>();
  let solBlockId: number | null = null;
  let solAdvancedAt: number | null = null;
  let solUsd: number | null = null;

  return {
    /** Records one answer, fetched at `at`. */
    record(quotes: ReadonlyMap<string, UsdPriceQuote>, at: number): void {
      for (const [mint, quote] of quotes) fetched.set(mint, { usd: quote.usd, at });
      const sol = quotes.get(solMint);
      if (!sol) return;
      solUsd = sol.usd;
      // A feed without blockIds cannot show it froze: its fetch time stands in.
      if (sol.blockId === null || solBlockId === null || sol.blockId > solBlockId) {
        solAdvancedAt = at;
        solBlockId = sol.blockId;
      }
    },
    /**
     * The prices fresh enough to act on at `now` (SOL's included as `solUsd`), or null when the
     * feed as a whole is stale: SOL missing, too old, or its blockId stuck.
     */
    fresh(mints: readonly string[], now: number) {
      const sol = fetched.get(solMint);
      if (!sol || solUsd === null || solAdvancedAt === null) return null;
      if (now - sol.at > maxAgeMs || now - solAdvancedAt > maxAgeMs) return null;
      const prices = new Map<string, MintPrice>();
      for (const mint of mints) {
        const price = fetched.get(mint);
        if (price && now - price.at <= maxAgeMs && price.usd > 0) prices.set(mint, price);
      }
      return { prices, solUsd };
    },
    /** Seconds since the feed last moved (SOL's blockId advanced); 0 before any answer. */
    lagSeconds(now: number): number {
      return solAdvancedAt === null ? 0 : Math.max(0, (now - solAdvancedAt) / 1000);
    },
  };
}
