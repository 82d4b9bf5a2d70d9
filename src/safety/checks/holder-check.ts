import type { HolderAccount } from "../read-chain-facts.js";
import type { Readable } from "../readable.js";
import { type CheckResult, makeCheck, percent } from "./make-check.js";

export const HOLDER_LIMITS = { topWarn: 0.2, topFail: 0.5, top10Warn: 0.5 } as const;

/** Addresses whose tokens are gone for good. */
export const BURN_ADDRESSES: readonly string[] = [
  "1nc1nerator11111111111111111111111111111111",
  "11111111111111111111111111111111",
];

export interface HolderExclusions {
  /** Pool authorities and AMM vault owners: liquidity, not a whale. */
  readonly poolOwners: ReadonlySet<string>;
  readonly burnOwners: ReadonlySet<string>;
}

const share = (part: bigint, whole: bigint) =>
  whole > 0n ? Number((part * 1_000_000n) / whole) / 1_000_000 : 0;

/**
 * Concentration among the largest accounts, summed per owner (a whale may split its holding),
 * leaving out pool vaults and burn addresses, measured against the supply not burned.
 */
export function checkHolderConcentration(
  supply: bigint,
  holders: Readable<readonly HolderAccount[]>,
  exclusions: HolderExclusions,
): CheckResult {
  if (!holders.ok) {
    return makeCheck(
      "holder_concentration",
      "unknown",
      `The largest holders could not be read (${holders.reason}).`,
    );
  }
  let burned = 0n;
  let pooled = 0n;
  const byOwner = new Map<string, bigint>();
  for (const holder of holders.value) {
    const owner = holder.owner ?? holder.address;
    if (exclusions.burnOwners.has(owner)) burned += holder.amount;
    else if (exclusions.poolOwners.has(owner)) pooled += holder.amount;
    else byOwner.set(owner, (byOwner.get(owner) ?? 0n) + holder.amount);
  }
  const circulating = supply - burned;
  if (circulating <= 0n) {
    return makeCheck("holder_concentration", "pass", "No tokens are in circulation.");
  }
  const ranked = [...byOwner.entries()].sort((a, b) => (a[1] < b[1] ? 1 : a[1] > b[1] ? -1 : 0));
  const [topOwner, topAmount] = ranked[0] ?? ["", 0n];
  const top = share(topAmount, circulating);
  const top10 = share(
    ranked.slice(0, 10).reduce((sum, [, amount]) => sum + amount, 0n),
    circulating,
  );
  const context = `(pools hold ${percent(share(pooled, circulating))}, not counted)`;
  if (top > HOLDER_LIMITS.topFail) {
    return makeCheck(
      "holder_concentration",
      "fail",
      `One wallet, ${topOwner}, holds ${percent(top)} of the supply and can crash the price at will ${context}.`,
    );
  }
  if (top > HOLDER_LIMITS.topWarn || top10 > HOLDER_LIMITS.top10Warn) {
    return makeCheck(
      "holder_concentration",
      "warn",
      `Holdings are concentrated: the top wallet holds ${percent(top)} and the top 10 hold ${percent(top10)} ${context}.`,
    );
  }
  return makeCheck(
    "holder_concentration",
    "pass",
    `Holdings are spread: the top wallet holds ${percent(top)} and the top 10 hold ${percent(top10)} ${context}.`,
  );
}
