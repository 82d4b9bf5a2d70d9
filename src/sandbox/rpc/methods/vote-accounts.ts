import type { Address } from "@solana/kit";
import { z } from "zod";
import { SLOTS_PER_EPOCH } from "../../chain/sandbox-chain.js";
import { getEffectiveStake, readStakeDelegation, STAKE_PROGRAM } from "../../chain/stake-state.js";
import { decodeVoteState, VOTE_PROGRAM } from "../../chain/vote-state.js";
import { addressSchema, commitmentConfigSchema } from "../params.js";
import { type RpcContext, slotAt } from "../rpc-context.js";

/** agave's DELINQUENT_VALIDATOR_SLOT_DISTANCE and MAX_RPC_VOTE_ACCOUNT_INFO_EPOCH_CREDITS_HISTORY. */
const DELINQUENT_VALIDATOR_SLOT_DISTANCE = 128n;
const EPOCH_CREDITS_HISTORY = 5;

export const voteAccountsConfigSchema = commitmentConfigSchema.extend({
  votePubkey: addressSchema.optional(),
  keepUnstakedDelinquents: z.boolean().optional(),
  delinquentSlotDistance: z.number().int().nonnegative().optional(),
});

type VoteAccountsConfig = z.infer<typeof voteAccountsConfigSchema>;

/** Active stake delegated to each vote account at `epoch`, from the stake accounts on the ledger. */
function getActivatedStakes(ctx: RpcContext, epoch: bigint): Map<Address, bigint> {
  const stakes = new Map<Address, bigint>();
  for (const { account } of ctx.chain.getProgramAccounts(STAKE_PROGRAM)) {
    const delegation = readStakeDelegation(account.data);
    if (!delegation) continue;
    const stake = getEffectiveStake(delegation, epoch);
    stakes.set(delegation.voter, (stakes.get(delegation.voter) ?? 0n) + stake);
  }
  return stakes;
}

/** Every vote account on the ledger, split into current and delinquent as agave does. */
export function getVoteAccounts(ctx: RpcContext, config: VoteAccountsConfig | undefined) {
  const slot = slotAt(ctx, config?.commitment);
  const epoch = slot / SLOTS_PER_EPOCH;
  const distance =
    config?.delinquentSlotDistance === undefined
      ? DELINQUENT_VALIDATOR_SLOT_DISTANCE
      : BigInt(config.delinquentSlotDistance);
  const stakes = getActivatedStakes(ctx, epoch);
  const current = [];
  const delinquent = [];
  for (const { address, account } of ctx.chain.getProgramAccounts(VOTE_PROGRAM)) {
    if (config?.votePubkey !== undefined && address !== config.votePubkey) continue;
    const state = decodeVoteState(account.data);
    if (!state) continue;
    const activatedStake = stakes.get(address) ?? 0n;
    const lastVote = state.votes.at(-1)?.slot ?? 0n;
    const info = {
      activatedStake,
      commission: state.commission,
      epochCredits: state.epochCredits
        .slice(-EPOCH_CREDITS_HISTORY)
        .map(({ epoch: e, credits, previousCredits }) => [e, credits, previousCredits]),
      epochVoteAccount: activatedStake > 0n,
      // Newer validators report the commission in basis points as well; older clients ignore it.
      inflationRewardsCommissionBps: state.commission * 100,
      lastVote,
      nodePubkey: state.nodePubkey,
      rootSlot: state.rootSlot ?? 0n,
      votePubkey: address,
    };
    const isCurrent = slot >= distance ? lastVote > slot - distance : lastVote > 0n;
    if (isCurrent) current.push(info);
    else if (activatedStake > 0n || config?.keepUnstakedDelinquents) delinquent.push(info);
  }
  return { current, delinquent };
}
