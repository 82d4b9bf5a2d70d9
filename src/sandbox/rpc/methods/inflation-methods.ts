import { z } from "zod";
import { MAX_PERFORMANCE_SAMPLES } from "../../chain/performance-sampler.js";
import { SLOTS_PER_EPOCH } from "../../chain/sandbox-chain.js";
import { addressSchema, commitmentConfigSchema, optionalConfig, parseParams } from "../params.js";
import { readSlot, slotAt, withContext } from "../rpc-context.js";
import { invalidParams } from "../rpc-error.js";
import type { RpcMethodTable } from "../rpc-method.js";
import { blockCleanedUp, blockNotAvailable } from "./ledger-errors.js";
import { largeU64Schema } from "./u64-param.js";

/** Genesis inflation of a development cluster (agave's `Inflation::default()`). */
const INFLATION = {
  initial: 0.08,
  terminal: 0.015,
  taper: 0.15,
  foundation: 0.05,
  foundationTerm: 7,
};
/** 400 ms slots (64 ticks at 160 ticks/s) over a 365.242199-day year. */
const SLOTS_PER_YEAR = (365.242_199 * 24 * 60 * 60) / (64 / 160);
/** The stake program's minimum with `stake_raise_minimum_delegation_to_1_sol`, which LiteSVM (like solana-test-validator) runs with. */
const STAKE_MINIMUM_DELEGATION = 1_000_000_000n;

const configOnly = z.tuple([optionalConfig(commitmentConfigSchema)]);
const getInflationRewardParams = z.tuple([
  z.array(addressSchema),
  optionalConfig(commitmentConfigSchema.extend({ epoch: largeU64Schema.optional() })),
]);
const getRecentPerformanceSamplesParams = z.tuple([z.number().int().nonnegative().nullish()]);

function totalRate(year: number): number {
  return Math.max(INFLATION.initial * (1 - INFLATION.taper) ** year, INFLATION.terminal);
}

function foundationRate(year: number): number {
  return year < INFLATION.foundationTerm ? totalRate(year) * INFLATION.foundation : 0;
}

/** Inflation, rewards, stake minimum and performance samples of the single-validator cluster. */
export const inflationMethods: RpcMethodTable = {
  getInflationGovernor: (params) => {
    parseParams(configOnly, params);
    return { ...INFLATION };
  },
  getInflationRate: (_params, ctx) => {
    const epoch = slotAt(ctx, "finalized") / SLOTS_PER_EPOCH;
    // Rewards count from the first slot of the current epoch (inflation active since genesis).
    const year = Number(epoch * SLOTS_PER_EPOCH) / SLOTS_PER_YEAR;
    const total = totalRate(year);
    const foundation = foundationRate(year);
    return { total, validator: total - foundation, foundation, epoch };
  },
  getInflationReward: (params, ctx) => {
    const [addresses, config] = parseParams(getInflationRewardParams, params);
    const slot = readSlot(ctx, config);
    const current = slot / SLOTS_PER_EPOCH;
    const epoch = config?.epoch ?? (current > 0n ? current - 1n : 0n);
    // An epoch's rewards are paid in the first block of the next one.
    const firstSlot = (epoch + 1n) * SLOTS_PER_EPOCH;
    const firstAvailable = ctx.chain.validator.genesisSlot;
    if (firstSlot < firstAvailable) {
      throw blockCleanedUp(firstSlot, firstAvailable);
    }
    if (firstSlot > slotAt(ctx, "confirmed")) {
      throw blockNotAvailable(firstSlot);
    }
    // The sandbox pays no inflation rewards, so no address has one, as for any unrewarded address.
    return addresses.map(() => null);
  },
  getStakeMinimumDelegation: (params, ctx) => {
    const slot = readSlot(ctx, parseParams(configOnly, params)[0]);
    return withContext(slot, STAKE_MINIMUM_DELEGATION);
  },
  getRecentPerformanceSamples: (params, ctx) => {
    const [limit] = parseParams(getRecentPerformanceSamplesParams, params);
    if (limit !== undefined && limit !== null && limit > MAX_PERFORMANCE_SAMPLES) {
      throw invalidParams(`Invalid limit; max ${MAX_PERFORMANCE_SAMPLES}`);
    }
    return ctx.chain.validator.getPerformanceSamples().slice(0, limit ?? MAX_PERFORMANCE_SAMPLES);
  },
};
