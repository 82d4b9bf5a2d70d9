import type { Address } from "@solana/kit";
import { addressToBytes, bytesToAddress } from "../encoding/base58.js";

export const STAKE_PROGRAM = "Stake11111111111111111111111111111111111111" as Address;
/** `StakeStateV2::size_of()`. */
export const STAKE_STATE_SIZE = 200;
const STAKE_TAG = 2;
const U64_MAX = 18_446_744_073_709_551_615n;
const VOTER_OFFSET = 4 + 120;

export interface StakeDelegation {
  voter: Address;
  stake: bigint;
  /** u64::MAX for genesis (bootstrap) stake, active from the first epoch. */
  activationEpoch: bigint;
  deactivationEpoch: bigint;
}

export interface StakeAccountInput {
  authority: Address;
  rentExemptReserve: bigint;
  voter: Address;
  stake: bigint;
}

/** Bincode of `StakeStateV2::Stake` (meta, delegation, flags) for a bootstrap stake: active at genesis. */
export function encodeBootstrapStake(input: StakeAccountInput): Uint8Array {
  const bytes = new Uint8Array(STAKE_STATE_SIZE);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, STAKE_TAG, true);
  view.setBigUint64(4, input.rentExemptReserve, true);
  const authority = addressToBytes(input.authority) ?? new Uint8Array(32);
  bytes.set(authority, 12); // staker
  bytes.set(authority, 44); // withdrawer
  // Lockup (unix timestamp, epoch, custodian) stays zero: none.
  bytes.set(addressToBytes(input.voter) ?? new Uint8Array(32), VOTER_OFFSET);
  view.setBigUint64(VOTER_OFFSET + 32, input.stake, true);
  view.setBigUint64(VOTER_OFFSET + 40, U64_MAX, true);
  view.setBigUint64(VOTER_OFFSET + 48, U64_MAX, true);
  view.setFloat64(VOTER_OFFSET + 56, 0.25, true);
  // credits_observed (u64) and stake flags (u8) stay zero.
  return bytes;
}

/** The delegation of a delegated stake account, null for any other stake state. */
export function readStakeDelegation(data: Uint8Array): StakeDelegation | null {
  if (data.length < STAKE_STATE_SIZE) return null;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (view.getUint32(0, true) !== STAKE_TAG) return null;
  return {
    voter: bytesToAddress(data.subarray(VOTER_OFFSET, VOTER_OFFSET + 32)),
    stake: view.getBigUint64(VOTER_OFFSET + 32, true),
    activationEpoch: view.getBigUint64(VOTER_OFFSET + 40, true),
    deactivationEpoch: view.getBigUint64(VOTER_OFFSET + 48, true),
  };
}

/** Stake counted at `epoch`, without warmup/cooldown: activated before it and not yet deactivated. */
export function getEffectiveStake(delegation: StakeDelegation, epoch: bigint): bigint {
  const activated = delegation.activationEpoch === U64_MAX || delegation.activationEpoch < epoch;
  const deactivated =
    delegation.deactivationEpoch !== U64_MAX && delegation.deactivationEpoch <= epoch;
  return activated && !deactivated ? delegation.stake : 0n;
}
