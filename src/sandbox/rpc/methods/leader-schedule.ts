import type { Address } from "@solana/kit";
import { SLOTS_PER_EPOCH } from "../../chain/sandbox-chain.js";
import type { RpcContext } from "../rpc-context.js";
import { invalidParams } from "../rpc-error.js";

/** How many epochs' schedules a validator's leader schedule cache keeps (agave's MAX_SCHEDULES). */
const MAX_SCHEDULES = 10n;

let slotIndexes: number[] | null = null;

/** Every slot index of an epoch: the sandbox's identity leads them all. Built once, shared. */
function getAllSlotIndexes(): number[] {
  slotIndexes ??= Array.from({ length: Number(SLOTS_PER_EPOCH) }, (_, index) => index);
  return slotIndexes;
}

/**
 * Whether the validator knows `epoch`'s schedule: up to the epoch after the root's (the schedule
 * is fixed one epoch ahead) and back as far as its cache reaches.
 */
export function hasLeaderSchedule(ctx: RpcContext, epoch: bigint): boolean {
  const newest = (ctx.chain.getSlot("finalized", ctx.lag) + SLOTS_PER_EPOCH) / SLOTS_PER_EPOCH;
  return epoch <= newest && epoch + MAX_SCHEDULES > newest;
}

/** `getLeaderSchedule`'s value: leader → slot indexes of the epoch, or null when unknown. */
export function getLeaderSchedule(
  ctx: RpcContext,
  epoch: bigint,
  identity: Address | undefined,
): Record<string, number[]> | null {
  if (!hasLeaderSchedule(ctx, epoch)) return null;
  const leader = ctx.chain.validator.identity;
  if (identity !== undefined && identity !== leader) return {};
  return { [leader]: getAllSlotIndexes() };
}

/** `limit` leaders from `startSlot` on, across epochs, as agave's `get_slot_leaders` walks them. */
export function getSlotLeaders(ctx: RpcContext, startSlot: bigint, limit: number): Address[] {
  const leaders: Address[] = [];
  let epoch = startSlot / SLOTS_PER_EPOCH;
  let index = startSlot % SLOTS_PER_EPOCH;
  while (leaders.length < limit) {
    if (!hasLeaderSchedule(ctx, epoch)) {
      throw invalidParams(`Invalid slot range: leader schedule for epoch ${epoch} is unavailable`);
    }
    const inEpoch = Number(SLOTS_PER_EPOCH - index);
    const take = Math.min(inEpoch, limit - leaders.length);
    for (let i = 0; i < take; i++) leaders.push(ctx.chain.validator.identity);
    epoch += 1n;
    index = 0n;
  }
  return leaders;
}
