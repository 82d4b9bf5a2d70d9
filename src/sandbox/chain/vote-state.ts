import type { Address } from "@solana/kit";
import { addressToBytes, bytesToAddress } from "../encoding/base58.js";

export const VOTE_PROGRAM = "Vote111111111111111111111111111111111111111" as Address;
/** `VoteState::size_of()`: every vote account is allocated at this size. */
export const VOTE_STATE_SIZE = 3762;
/** Lockouts a vote state keeps (agave's MAX_LOCKOUT_HISTORY). */
export const MAX_LOCKOUT_HISTORY = 31;
const PRIOR_VOTERS = 32;
const VERSION_V1_14_11 = 1;
const VERSION_CURRENT = 2;

export interface VoteState {
  nodePubkey: Address;
  authorizedWithdrawer: Address;
  commission: number;
  votes: { slot: bigint; confirmationCount: number; latency: number }[];
  rootSlot: bigint | null;
  authorizedVoters: { epoch: bigint; voter: Address }[];
  epochCredits: { epoch: bigint; credits: bigint; previousCredits: bigint }[];
  lastTimestamp: { slot: bigint; timestamp: bigint };
}

/** Bincode of `VoteStateVersions::Current`, padded to the account size, as the vote program writes it. */
export function encodeVoteState(state: VoteState): Uint8Array {
  const bytes = new Uint8Array(VOTE_STATE_SIZE);
  const view = new DataView(bytes.buffer);
  let at = 0;
  const u8 = (value: number) => {
    view.setUint8(at, value);
    at += 1;
  };
  const u32 = (value: number) => {
    view.setUint32(at, value, true);
    at += 4;
  };
  const u64 = (value: bigint) => {
    view.setBigUint64(at, value, true);
    at += 8;
  };
  const key = (address: Address) => {
    bytes.set(addressToBytes(address) ?? new Uint8Array(32), at);
    at += 32;
  };
  u32(VERSION_CURRENT);
  key(state.nodePubkey);
  key(state.authorizedWithdrawer);
  u8(state.commission);
  u64(BigInt(state.votes.length));
  for (const vote of state.votes) {
    u8(vote.latency);
    u64(vote.slot);
    u32(vote.confirmationCount);
  }
  u8(state.rootSlot === null ? 0 : 1);
  if (state.rootSlot !== null) u64(state.rootSlot);
  u64(BigInt(state.authorizedVoters.length));
  for (const { epoch, voter } of state.authorizedVoters) {
    u64(epoch);
    key(voter);
  }
  // An empty CircBuf of prior voters: zeroed entries, idx = last, is_empty = true.
  at += PRIOR_VOTERS * 48;
  u64(BigInt(PRIOR_VOTERS - 1));
  u8(1);
  u64(BigInt(state.epochCredits.length));
  for (const { epoch, credits, previousCredits } of state.epochCredits) {
    u64(epoch);
    u64(credits);
    u64(previousCredits);
  }
  u64(state.lastTimestamp.slot);
  view.setBigInt64(at, state.lastTimestamp.timestamp, true);
  return bytes;
}

/** Decodes the V1_14_11 and Current layouts; null for anything else (uninitialized, older, newer). */
export function decodeVoteState(data: Uint8Array): VoteState | null {
  if (data.length < 4) return null;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let at = 0;
  const u8 = () => view.getUint8(at++);
  const u32 = () => {
    const value = view.getUint32(at, true);
    at += 4;
    return value;
  };
  const u64 = () => {
    const value = view.getBigUint64(at, true);
    at += 8;
    return value;
  };
  const key = () => {
    const address = bytesToAddress(data.subarray(at, at + 32));
    at += 32;
    return address;
  };
  try {
    const version = u32();
    if (version !== VERSION_V1_14_11 && version !== VERSION_CURRENT) return null;
    const nodePubkey = key();
    const authorizedWithdrawer = key();
    const commission = u8();
    const votes: VoteState["votes"] = [];
    for (let n = u64(); n > 0n; n--) {
      const latency = version === VERSION_CURRENT ? u8() : 0;
      votes.push({ latency, slot: u64(), confirmationCount: u32() });
    }
    const rootSlot = u8() === 1 ? u64() : null;
    const authorizedVoters: VoteState["authorizedVoters"] = [];
    for (let n = u64(); n > 0n; n--) authorizedVoters.push({ epoch: u64(), voter: key() });
    at += PRIOR_VOTERS * 48 + 9;
    const epochCredits: VoteState["epochCredits"] = [];
    for (let n = u64(); n > 0n; n--) {
      epochCredits.push({ epoch: u64(), credits: u64(), previousCredits: u64() });
    }
    const slot = u64();
    const timestamp = view.getBigInt64(at, true);
    return {
      nodePubkey,
      authorizedWithdrawer,
      commission,
      votes,
      rootSlot,
      authorizedVoters,
      epochCredits,
      lastTimestamp: { slot, timestamp },
    };
  } catch {
    // A RangeError from DataView: the data is shorter than its own lengths claim.
    return null;
  }
}
