import { z } from "zod";
import { SLOTS_PER_EPOCH } from "../../chain/sandbox-chain.js";
import { addressSchema, commitmentConfigSchema, optionalConfig, parseParams } from "../params.js";
import { readSlot, slotAt, withContext } from "../rpc-context.js";
import { invalidParams, RpcError, RpcErrorCode } from "../rpc-error.js";
import type { RpcMethodTable } from "../rpc-method.js";
import { getClusterNodes } from "./cluster-nodes.js";
import { getLeaderSchedule, getSlotLeaders, hasLeaderSchedule } from "./leader-schedule.js";
import { largeU64Schema } from "./u64-param.js";
import { getVoteAccounts, voteAccountsConfigSchema } from "./vote-accounts.js";

/** agave's MAX_GET_SLOT_LEADERS. */
const MAX_GET_SLOT_LEADERS = 5000;
/** A bank's SlotHistory covers this many slots back from its own. */
const SLOT_HISTORY_ENTRIES = 1024n * 1024n;

const leaderScheduleConfigSchema = commitmentConfigSchema.extend({
  identity: addressSchema.optional(),
});
// The first param is a slot or, in its place, the config (agave's RpcLeaderScheduleConfigWrapper).
const getLeaderScheduleParams = z.tuple([
  z.union([largeU64Schema, leaderScheduleConfigSchema]).nullish(),
  optionalConfig(leaderScheduleConfigSchema),
]);
const getSlotLeadersParams = z.tuple([largeU64Schema, largeU64Schema]);
const getBlockProductionParams = z.tuple([
  optionalConfig(
    commitmentConfigSchema.extend({
      identity: addressSchema.optional(),
      range: z.object({ firstSlot: largeU64Schema, lastSlot: largeU64Schema.nullish() }).optional(),
    }),
  ),
]);
const configOnly = z.tuple([optionalConfig(commitmentConfigSchema)]);
const getVoteAccountsParams = z.tuple([optionalConfig(voteAccountsConfigSchema)]);

/** The single-validator cluster: leaders, block production, nodes, votes. */
export const validatorMethods: RpcMethodTable = {
  getLeaderSchedule: (params, ctx) => {
    const [first, second] = parseParams(getLeaderScheduleParams, params);
    const slotParam = typeof first === "bigint" ? first : undefined;
    const config = (typeof first === "object" && first !== null ? first : undefined) ?? second;
    const slot = slotParam ?? slotAt(ctx, config?.commitment);
    return getLeaderSchedule(ctx, slot / SLOTS_PER_EPOCH, config?.identity);
  },
  getSlotLeader: (params, ctx) => {
    readSlot(ctx, parseParams(configOnly, params)[0]);
    return ctx.chain.validator.identity;
  },
  getSlotLeaders: (params, ctx) => {
    const [startSlot, limit] = parseParams(getSlotLeadersParams, params);
    if (limit > BigInt(MAX_GET_SLOT_LEADERS)) {
      throw invalidParams(`Invalid limit; max ${MAX_GET_SLOT_LEADERS}`);
    }
    return getSlotLeaders(ctx, startSlot, Number(limit));
  },
  getBlockProduction: (params, ctx) => {
    const [config] = parseParams(getBlockProductionParams, params);
    const slot = slotAt(ctx, config?.commitment);
    const firstSlot = config?.range?.firstSlot ?? (slot / SLOTS_PER_EPOCH) * SLOTS_PER_EPOCH;
    const lastSlot = config?.range?.lastSlot ?? slot;
    const badRange = (message: string) => new RpcError(RpcErrorCode.INVALID_PARAMS, message);
    if (lastSlot < firstSlot) {
      throw badRange(`lastSlot, ${lastSlot}, cannot be less than firstSlot, ${firstSlot}`);
    }
    const oldest = slot + 1n > SLOT_HISTORY_ENTRIES ? slot + 1n - SLOT_HISTORY_ENTRIES : 0n;
    if (firstSlot < oldest) throw badRange(`firstSlot, ${firstSlot}, is too small; min ${oldest}`);
    if (lastSlot > slot) throw badRange(`lastSlot, ${lastSlot}, is too large; max ${slot}`);
    for (let epoch = firstSlot / SLOTS_PER_EPOCH; epoch <= lastSlot / SLOTS_PER_EPOCH; epoch++) {
      if (!hasLeaderSchedule(ctx, epoch)) {
        throw invalidParams(
          `Invalid slot range: leader schedule for epoch ${epoch} is unavailable`,
        );
      }
    }
    const identity = ctx.chain.validator.identity;
    const byIdentity: Record<string, [bigint, bigint]> = {};
    if (config?.identity === undefined || config.identity === identity) {
      // Every slot since the sandbox's genesis has its block; slots before it were never produced.
      const { genesisSlot } = ctx.chain.validator;
      let from = firstSlot;
      if (from < genesisSlot) from = genesisSlot;
      const produced = lastSlot >= from ? lastSlot - from + 1n : 0n;
      byIdentity[identity] = [lastSlot - firstSlot + 1n, produced];
    }
    return withContext(slot, { byIdentity, range: { firstSlot, lastSlot } });
  },
  getClusterNodes: (_params, ctx) => getClusterNodes(ctx),
  getVoteAccounts: (params, ctx) => {
    const [config] = parseParams(getVoteAccountsParams, params);
    return getVoteAccounts(ctx, config);
  },
  // One node: it has retransmitted and inserted shreds up to the slot it is working on.
  getMaxRetransmitSlot: (_params, ctx) => ctx.chain.getSlot("processed", ctx.lag),
  getMaxShredInsertSlot: (_params, ctx) => ctx.chain.getSlot("processed", ctx.lag),
};
