import type { Address } from "@solana/kit";
import { bytesToBase58 } from "../base58.js";
import { type BincodeReader, BincodeReader as Reader } from "./bincode-reader.js";
import type { ParsedInfo } from "./parsed-account.js";

const PRIOR_VOTERS = 32;
const FULL_BLOCK_REVENUE_COMMISSION_BPS = 10_000;

interface Vote {
  latency: number;
  slot: bigint;
  confirmationCount: number;
}

const lockout = (reader: BincodeReader, latency: number): Vote => ({
  latency,
  slot: reader.u64(),
  confirmationCount: reader.u32(),
});
const landedVote = (reader: BincodeReader): Vote => lockout(reader, reader.u8());

function authorizedVoters(reader: BincodeReader) {
  return reader.vec(() => ({ epoch: reader.u64(), authorizedVoter: reader.pubkey() }));
}

/** The tail every version shares: epoch credits and the last timestamp. */
function readTail(reader: BincodeReader) {
  const epochCredits = reader.vec(() => ({
    epoch: reader.u64(),
    credits: reader.u64().toString(),
    previousCredits: reader.u64().toString(),
  }));
  return { epochCredits, lastTimestamp: { slot: reader.u64(), timestamp: reader.i64() } };
}

/**
 * A vote account as agave ≥ 3 renders it: every version is read as VoteStateV4 (SIMD-0185), older
 * ones given its defaults (collectors: the vote account and the node; full block-revenue
 * commission; bps = commission × 100), prior voters always empty.
 */
export function parseVote(data: Uint8Array, voteAddress: Address): ParsedInfo | null {
  const reader = new Reader(data);
  const version = reader.u32();
  if (version > 3) return null;
  const nodePubkey = reader.pubkey();
  let authorizedWithdrawer: Address;
  let commissionBps: number;
  let inflationRewardsCollector: Address = voteAddress;
  let blockRevenueCollector: Address = nodePubkey;
  let blockRevenueCommissionBps = FULL_BLOCK_REVENUE_COMMISSION_BPS;
  let pendingDelegatorRewards = 0n;
  let blsPubkeyCompressed: string | null = null;
  let votes: Vote[];
  let rootSlot: bigint | null;
  let voters: { epoch: bigint; authorizedVoter: Address }[];
  if (version === 0) {
    const voter = reader.pubkey();
    const voterEpoch = reader.u64();
    reader.take(PRIOR_VOTERS * 56 + 8);
    authorizedWithdrawer = reader.pubkey();
    commissionBps = reader.u8() * 100;
    votes = reader.vec(() => lockout(reader, 0));
    rootSlot = reader.option(() => reader.u64());
    const uninitialized = voter === "11111111111111111111111111111111";
    voters = uninitialized ? [] : [{ epoch: voterEpoch, authorizedVoter: voter }];
  } else if (version === 3) {
    authorizedWithdrawer = reader.pubkey();
    inflationRewardsCollector = reader.pubkey();
    blockRevenueCollector = reader.pubkey();
    commissionBps = reader.u16();
    blockRevenueCommissionBps = reader.u16();
    pendingDelegatorRewards = reader.u64();
    blsPubkeyCompressed = reader.option(() => bytesToBase58(reader.take(48)));
    votes = reader.vec(() => landedVote(reader));
    rootSlot = reader.option(() => reader.u64());
    voters = authorizedVoters(reader);
  } else {
    authorizedWithdrawer = reader.pubkey();
    commissionBps = reader.u8() * 100;
    votes = reader.vec(() => (version === 1 ? lockout(reader, 0) : landedVote(reader)));
    rootSlot = reader.option(() => reader.u64());
    voters = authorizedVoters(reader);
    reader.take(PRIOR_VOTERS * 48 + 8 + 1);
  }
  return {
    type: "vote",
    info: {
      nodePubkey,
      authorizedWithdrawer,
      commission: Math.min(Math.floor(commissionBps / 100), 255),
      votes,
      rootSlot,
      authorizedVoters: voters,
      priorVoters: [],
      ...readTail(reader),
      inflationRewardsCommissionBps: commissionBps,
      inflationRewardsCollector,
      blockRevenueCollector,
      blockRevenueCommissionBps,
      pendingDelegatorRewards: pendingDelegatorRewards.toString(),
      blsPubkeyCompressed,
    },
  };
}
