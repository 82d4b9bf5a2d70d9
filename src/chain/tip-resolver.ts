import type { Address } from "@solana/kit";
import { type Clock, isOspreyError, OspreyError } from "../core/index.js";
import { fetchTipFloor, type TipFloor, type TipPercentile } from "./tip-floor.js";

/** Jito's minimum tip: a bundle paying less does not land. */
export const MIN_TIP_LAMPORTS = 1_000n;

export interface ResolvedTip {
  readonly lamports: bigint;
  /** The tip account the transfer goes to (one of the block engine's, picked at random). */
  readonly account: Address;
  /** Where the amount came from. */
  readonly source: "override" | "fixed" | "floor";
}

export interface TipResolver {
  /**
   * The tip for a protected transaction: `override`, else the fixed tip, else the configured
   * percentile of the tip floor capped at the maximum; never below 1000 lamports.
   */
  resolve(override?: bigint | null): Promise<ResolvedTip>;
}

export interface TipOptions {
  /** JITO_TIP_LAMPORTS: a fixed tip (≥ 1000). */
  readonly fixedLamports?: bigint;
  /** JITO_TIP_PERCENTILE (default 50). */
  readonly percentile?: TipPercentile;
  /** JITO_TIP_MAX_LAMPORTS (default 1_000_000): the cap of a tip taken from the floor. */
  readonly maxLamports?: bigint;
  /** `GET …/api/v1/bundles/tip_floor`; needed unless a fixed tip or an override is given. */
  readonly floorUrl?: string;
  /** A floor read is reused this long (default 10 s). */
  readonly floorMaxAgeMs?: number;
  /** While the floor is unreachable, the last read is used up to this age (default 5 min). */
  readonly floorStaleMs?: number;
  /** Tip accounts are read again after this long (default 1 h); the old list serves meanwhile. */
  readonly accountsMaxAgeMs?: number;
  /** Fixed tip accounts (e.g. a sender's own); default: read from the block engines. */
  readonly accounts?: readonly Address[];
  readonly fetch?: typeof fetch;
}

export interface TipResolverOptions extends TipOptions {
  /** Reads the tip accounts (the block engines' `getTipAccounts`, first that answers). */
  readonly getTipAccounts: () => Promise<readonly Address[]>;
  readonly clock: Clock;
  readonly random: () => number;
}

interface Cached<T> {
  readonly value: T;
  readonly at: number;
}

export function createTipResolver(options: TipResolverOptions): TipResolver {
  const { clock, random } = options;
  const percentile = options.percentile ?? 50;
  const maxLamports = options.maxLamports ?? 1_000_000n;
  const floorMaxAgeMs = options.floorMaxAgeMs ?? 10_000;
  const floorStaleMs = options.floorStaleMs ?? 300_000;
  const accountsMaxAgeMs = options.accountsMaxAgeMs ?? 3_600_000;
  let floor: Cached<TipFloor> | undefined;
  let floorLoad: Promise<TipFloor> | undefined;
  let accounts: Cached<readonly Address[]> | undefined;
  let accountsLoad: Promise<readonly Address[]> | undefined;

  function loadFloor(): Promise<TipFloor> {
    const url = options.floorUrl;
    if (url === undefined) {
      return Promise.reject(
        new OspreyError("TIP_UNAVAILABLE", "No tip floor URL and no fixed tip configured"),
      );
    }
    floorLoad ??= fetchTipFloor(url, options.fetch === undefined ? {} : { fetch: options.fetch })
      .then((value) => {
        floor = { value, at: clock.now() };
        return value;
      })
      .finally(() => {
        floorLoad = undefined;
      });
    return floorLoad;
  }

  async function getFloor(): Promise<TipFloor> {
    const now = clock.now();
    if (floor !== undefined && now - floor.at < floorMaxAgeMs) return floor.value;
    try {
      return await loadFloor();
    } catch (error) {
      // A short outage of the floor should not stop protected orders: the last read serves.
      if (floor !== undefined && clock.now() - floor.at < floorStaleMs) return floor.value;
      throw error;
    }
  }

  function loadAccounts(): Promise<readonly Address[]> {
    accountsLoad ??= options
      .getTipAccounts()
      .then((value) => {
        if (value.length === 0) throw new OspreyError("TIP_UNAVAILABLE", "No tip account");
        accounts = { value, at: clock.now() };
        return value;
      })
      .catch((error: unknown) => {
        if (isOspreyError(error, "TIP_UNAVAILABLE")) throw error;
        if (isOspreyError(error, "MEV_PROTECTION_UNAVAILABLE")) throw error;
        throw new OspreyError(
          "TIP_UNAVAILABLE",
          "The tip accounts could not be read",
          {},
          { cause: error },
        );
      })
      .finally(() => {
        accountsLoad = undefined;
      });
    return accountsLoad;
  }

  async function getAccounts(): Promise<readonly Address[]> {
    if (options.accounts !== undefined && options.accounts.length > 0) return options.accounts;
    if (accounts === undefined) return loadAccounts();
    if (clock.now() - accounts.at >= accountsMaxAgeMs) loadAccounts().catch(() => {});
    return accounts.value;
  }

  async function getLamports(
    override: bigint | null | undefined,
  ): Promise<Pick<ResolvedTip, "lamports" | "source">> {
    if (override !== undefined && override !== null) {
      if (override < MIN_TIP_LAMPORTS) {
        throw new OspreyError("INVALID_INPUT", "A tip must be at least 1000 lamports", {
          tipLamports: override.toString(),
        });
      }
      return { lamports: override, source: "override" };
    }
    if (options.fixedLamports !== undefined) {
      return { lamports: max(options.fixedLamports, MIN_TIP_LAMPORTS), source: "fixed" };
    }
    const fromFloor = (await getFloor()).percentiles[percentile];
    const capped = fromFloor > maxLamports ? maxLamports : fromFloor;
    return { lamports: max(capped, MIN_TIP_LAMPORTS), source: "floor" };
  }

  return {
    async resolve(override) {
      const [list, amount] = await Promise.allSettled([getAccounts(), getLamports(override)]);
      // No private route (or no tip account) says more than a missing floor: report it first.
      if (list.status === "rejected") throw list.reason;
      if (amount.status === "rejected") throw amount.reason;
      return { ...amount.value, account: pick(list.value) };
    },
  };

  function pick(list: readonly Address[]): Address {
    return list[Math.min(list.length - 1, Math.floor(random() * list.length))] as Address;
  }
}

const max = (a: bigint, b: bigint): bigint => (a > b ? a : b);
