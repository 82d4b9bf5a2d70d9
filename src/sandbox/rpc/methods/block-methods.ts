import { z } from "zod";
import type { BlockRecord } from "../../chain/block-store.js";
import { type BlockEncodeOptions, encodeBlock } from "../../encoding/block-json.js";
import { isVersionSupported } from "../../encoding/transaction-json.js";
import {
  commitmentConfigSchema,
  commitmentSchema,
  optionalConfig,
  parseParams,
  u64Schema,
} from "../params.js";
import { assertMinContextSlot, type RpcContext, slotAt } from "../rpc-context.js";
import { invalidParams } from "../rpc-error.js";
import type { RpcMethodTable } from "../rpc-method.js";
import {
  assertAtLeastConfirmed,
  blockCleanedUp,
  blockNotAvailable,
  unsupportedTransactionVersion,
} from "./ledger-errors.js";

/** agave's MAX_GET_CONFIRMED_BLOCKS_RANGE. */
const MAX_BLOCKS_RANGE = 500_000n;

const encodingSchema = z.enum(["json", "jsonParsed", "base58", "base64", "binary"]);
const blockConfigSchema = z.looseObject({
  encoding: encodingSchema.optional(),
  transactionDetails: z.enum(["full", "accounts", "signatures", "none"]).optional(),
  rewards: z.boolean().optional(),
  commitment: commitmentSchema.optional(),
  maxSupportedTransactionVersion: z.number().int().min(0).max(255).optional(),
});
type BlockConfig = z.infer<typeof blockConfigSchema>;
/** The config may be the legacy bare encoding string (agave's RpcEncodingConfigWrapper). */
const blockConfigParam = optionalConfig(
  z.union([encodingSchema.transform((encoding): BlockConfig => ({ encoding })), blockConfigSchema]),
);
const getBlockParams = z.tuple([u64Schema, blockConfigParam]);
const getBlocksParams = z.union([
  z.tuple([
    u64Schema,
    optionalConfig(u64Schema).optional(),
    optionalConfig(commitmentConfigSchema).optional(),
  ]),
  z.tuple([u64Schema, optionalConfig(commitmentConfigSchema)]),
]);
const getBlocksWithLimitParams = z.tuple([
  u64Schema,
  z.number().int().nonnegative(),
  optionalConfig(commitmentConfigSchema),
]);
const getBlockTimeParams = z.tuple([u64Schema]);
const noParams = z.tuple([]);

/** Math.max for bigints. */
function laterSlot(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

type RangeConfig = z.infer<typeof commitmentConfigSchema> | undefined;

/** The highest slot a range read may return: the root, or the confirmed slot (agave's get_blocks). */
function rangeTop(ctx: RpcContext, config: RangeConfig): bigint {
  const commitment = config?.commitment ?? "finalized";
  assertAtLeastConfirmed(commitment);
  const top = slotAt(ctx, commitment);
  assertMinContextSlot(top, config?.minContextSlot);
  return top;
}

function encodeSealed(block: BlockRecord, options: BlockEncodeOptions, max: number | undefined) {
  if (options.transactionDetails === "full" || options.transactionDetails === "accounts") {
    for (const record of block.transactions) {
      const { version } = record.transaction;
      if (version !== "legacy" && !isVersionSupported(record, max))
        throw unsupportedTransactionVersion(version);
    }
  }
  return encodeBlock(block, options);
}

/** getBlock, getBlocks(WithLimit), getBlockTime and the ledger's lower bound, from sealed blocks. */
export const blockMethods: RpcMethodTable = {
  getBlock: (params, ctx) => {
    const [slot, config] = parseParams(getBlockParams, params);
    const commitment = config?.commitment ?? "finalized";
    assertAtLeastConfirmed(commitment);
    const max = config?.maxSupportedTransactionVersion;
    const options: BlockEncodeOptions = {
      encoding: config?.encoding ?? "json",
      transactionDetails: config?.transactionDetails ?? "full",
      showRewards: config?.rewards ?? true,
      withVersion: max !== undefined,
    };
    const { chain } = ctx;
    if (slot <= slotAt(ctx, commitment)) {
      const block = chain.getBlockRecord(slot);
      if (block) return encodeSealed(block, options, max);
      if (slot < chain.firstAvailableBlock) throw blockCleanedUp(slot, chain.firstAvailableBlock);
    }
    throw blockNotAvailable(slot);
  },
  getBlocks: (params, ctx) => {
    const [start, second, third] = parseParams(getBlocksParams, params);
    const end = typeof second === "bigint" ? second : undefined;
    const config = typeof second === "object" ? second : third;
    const top = rangeTop(ctx, config);
    const wanted = end ?? start + MAX_BLOCKS_RANGE;
    const last = wanted < top ? wanted : top;
    if (last < start) return [];
    if (last - start > MAX_BLOCKS_RANGE)
      throw invalidParams(`Slot range too large; max ${MAX_BLOCKS_RANGE}`);
    return ctx.chain.getBlockSlots(start, last);
  },
  getBlocksWithLimit: (params, ctx) => {
    const [start, limit, config] = parseParams(getBlocksWithLimitParams, params);
    if (BigInt(limit) > MAX_BLOCKS_RANGE)
      throw invalidParams(`Limit too large; max ${MAX_BLOCKS_RANGE}`);
    const top = rangeTop(ctx, config);
    if (limit === 0) return [];
    const { chain } = ctx;
    const from = laterSlot(start, chain.firstAvailableBlock);
    // Every slot is a block in the sandbox, so `limit` blocks span at most `limit` slots.
    const candidate = from + BigInt(limit) - 1n;
    return chain.getBlockSlots(from, candidate < top ? candidate : top).slice(0, limit);
  },
  getBlockTime: (params, ctx) => {
    const [slot] = parseParams(getBlockTimeParams, params);
    const { chain } = ctx;
    if (slot <= slotAt(ctx, "finalized")) {
      const block = chain.getBlockRecord(slot);
      if (block) return block.blockTime;
      if (slot < chain.firstAvailableBlock) throw blockCleanedUp(slot, chain.firstAvailableBlock);
      throw blockNotAvailable(slot);
    }
    // Above the root agave answers from the slot's bank, which exists up to the processed tip.
    if (slot <= slotAt(ctx, "processed")) return ctx.chain.getBlock(slot).blockTime;
    throw blockNotAvailable(slot);
  },
  getFirstAvailableBlock: (params, ctx) => {
    parseParams(noParams, params);
    return ctx.chain.firstAvailableBlock;
  },
  minimumLedgerSlot: (params, ctx) => {
    parseParams(noParams, params);
    return ctx.chain.firstAvailableBlock;
  },
};
