import { z } from "zod";
import { BLOCKHASH_VALIDITY_BLOCKS } from "../../chain/blockhash-queue.js";
import { SLOTS_PER_EPOCH } from "../../chain/sandbox-chain.js";
import { commitmentConfigSchema, hashSchema, optionalConfig, parseParams } from "../params.js";
import { API_VERSION, readSlot, withContext } from "../rpc-context.js";
import type { RpcMethodTable } from "../rpc-method.js";
import { FEATURE_SET } from "./cluster-nodes.js";

const configOnly = z.tuple([optionalConfig(commitmentConfigSchema)]);

const isBlockhashValidParams = z.tuple([hashSchema, optionalConfig(commitmentConfigSchema)]);
const getMinimumBalanceForRentExemptionParams = z.tuple([
  z.number().int().nonnegative(),
  optionalConfig(commitmentConfigSchema),
]);

/** Health, version, slots, epochs and blockhashes. */
export const clusterMethods: RpcMethodTable = {
  getHealth: () => "ok",
  getVersion: () => ({ "solana-core": API_VERSION, "feature-set": FEATURE_SET }),
  getGenesisHash: (_params, ctx) => ctx.chain.genesisHash,
  getIdentity: (_params, ctx) => ({ identity: ctx.chain.validator.identity }),
  getSlot: (params, ctx) => readSlot(ctx, parseParams(configOnly, params)[0]),
  getBlockHeight: (params, ctx) =>
    ctx.chain.getBlock(readSlot(ctx, parseParams(configOnly, params)[0])).blockHeight,
  getTransactionCount: (params, ctx) => {
    readSlot(ctx, parseParams(configOnly, params)[0]);
    return ctx.chain.transactionCount;
  },
  getEpochInfo: (params, ctx) => {
    const slot = readSlot(ctx, parseParams(configOnly, params)[0]);
    return {
      absoluteSlot: slot,
      blockHeight: ctx.chain.getBlock(slot).blockHeight,
      epoch: slot / SLOTS_PER_EPOCH,
      slotIndex: slot % SLOTS_PER_EPOCH,
      slotsInEpoch: SLOTS_PER_EPOCH,
      transactionCount: ctx.chain.transactionCount,
    };
  },
  getEpochSchedule: () => ({
    firstNormalEpoch: 0,
    firstNormalSlot: 0,
    leaderScheduleSlotOffset: SLOTS_PER_EPOCH,
    slotsPerEpoch: SLOTS_PER_EPOCH,
    warmup: false,
  }),
  getLatestBlockhash: (params, ctx) => {
    const slot = readSlot(ctx, parseParams(configOnly, params)[0]);
    const block = ctx.chain.getBlock(slot);
    return withContext(slot, {
      blockhash: block.blockhash,
      lastValidBlockHeight: block.blockHeight + BigInt(BLOCKHASH_VALIDITY_BLOCKS),
    });
  },
  isBlockhashValid: (params, ctx) => {
    const [blockhash, config] = parseParams(isBlockhashValidParams, params);
    const slot = readSlot(ctx, config);
    return withContext(slot, ctx.chain.isBlockhashValid(blockhash, slot));
  },
  getMinimumBalanceForRentExemption: (params, ctx) => {
    const [length] = parseParams(getMinimumBalanceForRentExemptionParams, params);
    return ctx.chain.minimumBalanceForRentExemption(length);
  },
};
