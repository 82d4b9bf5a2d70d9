import { generateKeyPairSync } from "node:crypto";
import type { Address } from "@solana/kit";
import { bytesToAddress } from "../encoding/base58.js";
import { TOKEN_PROGRAM } from "../encoding/token-layout.js";
import { type LedgerAccounts, SYSTEM_PROGRAM } from "./ledger-accounts.js";
import { createPerformanceSampler, type PerformanceSample } from "./performance-sampler.js";
import { encodeBootstrapStake, STAKE_PROGRAM, STAKE_STATE_SIZE } from "./stake-state.js";
import {
  encodeVoteState,
  MAX_LOCKOUT_HISTORY,
  VOTE_PROGRAM,
  type VoteState,
} from "./vote-state.js";

const LAMPORTS_PER_SOL = 1_000_000_000n;
/** What solana-test-validator funds its genesis with: identity 500 SOL, stake (and vote) 1M SOL. */
const IDENTITY_LAMPORTS = 500n * LAMPORTS_PER_SOL;
const BOOTSTRAP_STAKE_LAMPORTS = 1_000_000n * LAMPORTS_PER_SOL;
/** Timely vote credits: a vote landing in the next slot earns the maximum. */
const CREDITS_PER_ROOTED_SLOT = 16n;
const MAX_EPOCH_CREDITS_HISTORY = 64;
const STAKE_CONFIG = "StakeConfig11111111111111111111111111111111" as Address;
const CONFIG_PROGRAM = "Config1111111111111111111111111111111111111" as Address;
/** Stake config as the stake program's genesis writes it: no keys, warmup 0.25, slash penalty 12. */
const STAKE_CONFIG_DATA = Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0xd0, 0x3f, 12]);

/**
 * The SPL Token native mint a test validator's genesis holds (1 SOL, rent epoch 1): no
 * authorities, supply 0, 9 decimals, initialized (byte 44 decimals, byte 45 initialized).
 */
const NATIVE_MINT = "So11111111111111111111111111111111111111112" as Address;
const NATIVE_MINT_DATA = (() => {
  const data = new Uint8Array(82);
  data[44] = 9;
  data[45] = 1;
  return data;
})();

/** The single validator of the sandbox cluster: leader of every slot, voting on every slot. */
export interface SandboxValidator {
  readonly identity: Address;
  readonly voteAccount: Address;
  readonly stakeAccount: Address;
  readonly genesisSlot: bigint;
  /** Newest first, one per sample period (60 s of wall time), as a validator's blockstore keeps them. */
  getPerformanceSamples(): readonly PerformanceSample[];
}

export interface SandboxValidatorOptions {
  accounts: Pick<LedgerAccounts, "set">;
  minimumBalance: (dataLength: number) => bigint;
  genesisSlot: bigint;
  slotsPerEpoch: bigint;
  now: () => number;
  transactionCount: () => bigint;
  onSlot: (listener: (slot: bigint) => void) => void;
  /** Addresses to use (a ledger directory's keypairs); fresh ones otherwise. */
  identity?: Address;
  voteAccount?: Address;
}

function createAddress(): Address {
  const { publicKey } = generateKeyPairSync("ed25519");
  return bytesToAddress(publicKey.export({ format: "der", type: "spki" }).subarray(-32));
}

/** Creates the genesis accounts of a single-validator cluster and keeps its vote state voting. */
export function createSandboxValidator(options: SandboxValidatorOptions): SandboxValidator {
  const { accounts, genesisSlot, slotsPerEpoch, now } = options;
  const identity = options.identity ?? createAddress();
  const voteAccount = options.voteAccount ?? createAddress();
  const stakeAccount = createAddress();
  accounts.set(identity, {
    lamports: IDENTITY_LAMPORTS,
    owner: SYSTEM_PROGRAM,
    data: new Uint8Array(),
    executable: false,
  });
  accounts.set(stakeAccount, {
    lamports: BOOTSTRAP_STAKE_LAMPORTS,
    owner: STAKE_PROGRAM,
    data: encodeBootstrapStake({
      authority: identity,
      rentExemptReserve: options.minimumBalance(STAKE_STATE_SIZE),
      voter: voteAccount,
      stake: BOOTSTRAP_STAKE_LAMPORTS - options.minimumBalance(STAKE_STATE_SIZE),
    }),
    executable: false,
  });
  accounts.set(STAKE_CONFIG, {
    lamports: options.minimumBalance(STAKE_CONFIG_DATA.length),
    owner: CONFIG_PROGRAM,
    data: STAKE_CONFIG_DATA,
    executable: false,
    rentEpoch: 0n,
  });
  accounts.set(NATIVE_MINT, {
    lamports: LAMPORTS_PER_SOL,
    owner: TOKEN_PROGRAM,
    data: NATIVE_MINT_DATA,
    executable: false,
    rentEpoch: 1n,
  });
  const writeVoteState = (slot: bigint) => {
    accounts.set(voteAccount, {
      lamports: BOOTSTRAP_STAKE_LAMPORTS,
      owner: VOTE_PROGRAM,
      data: encodeVoteState(
        getVoteState({ identity, voteAccount }, slot, genesisSlot, slotsPerEpoch, now()),
      ),
      executable: false,
    });
  };
  writeVoteState(genesisSlot);

  const sampler = createPerformanceSampler({
    now,
    transactionCount: options.transactionCount,
    startSlot: genesisSlot,
  });
  // Votes are written once per batch of slots, so advancing many slots at once costs one write.
  let pendingSlot: bigint | null = null;
  options.onSlot((slot) => {
    sampler.record(slot);
    if (pendingSlot === null) {
      queueMicrotask(() => {
        if (pendingSlot !== null) writeVoteState(pendingSlot);
        pendingSlot = null;
      });
    }
    pendingSlot = slot;
  });

  return {
    identity,
    voteAccount,
    stakeAccount,
    genesisSlot,
    getPerformanceSamples: () => sampler.samples(),
  };
}

/** A tower that voted on every slot: the last 31 slots locked out, the one before rooted. */
function getVoteState(
  { identity, voteAccount }: { identity: Address; voteAccount: Address },
  slot: bigint,
  genesisSlot: bigint,
  slotsPerEpoch: bigint,
  nowMs: number,
): VoteState {
  const depth = BigInt(MAX_LOCKOUT_HISTORY);
  const first = slot - depth + 1n > genesisSlot ? slot - depth + 1n : genesisSlot;
  const votes: VoteState["votes"] = [];
  for (let voted = first; voted <= slot; voted++) {
    votes.push({ latency: 1, slot: voted, confirmationCount: Number(slot - voted + 1n) });
  }
  const rootSlot = slot - depth >= genesisSlot ? slot - depth : null;
  const epochCredits: VoteState["epochCredits"] = [];
  if (rootSlot !== null) {
    const lastEpoch = rootSlot / slotsPerEpoch;
    const firstEpoch = genesisSlot / slotsPerEpoch;
    const fromEpoch =
      lastEpoch - firstEpoch >= MAX_EPOCH_CREDITS_HISTORY
        ? lastEpoch - BigInt(MAX_EPOCH_CREDITS_HISTORY) + 1n
        : firstEpoch;
    const creditsUpTo = (rooted: bigint) => (rooted - genesisSlot + 1n) * CREDITS_PER_ROOTED_SLOT;
    for (let epoch = fromEpoch; epoch <= lastEpoch; epoch++) {
      const start = epoch * slotsPerEpoch;
      const end = (epoch + 1n) * slotsPerEpoch - 1n;
      epochCredits.push({
        epoch,
        credits: creditsUpTo(rootSlot < end ? rootSlot : end),
        previousCredits: start > genesisSlot ? creditsUpTo(start - 1n) : 0n,
      });
    }
  }
  return {
    // As solana-test-validator's genesis: the vote account is its own voter and withdrawer.
    nodePubkey: identity,
    authorizedWithdrawer: voteAccount,
    commission: 0,
    votes,
    rootSlot,
    authorizedVoters: [{ epoch: genesisSlot / slotsPerEpoch, voter: voteAccount }],
    epochCredits,
    lastTimestamp: { slot, timestamp: BigInt(Math.floor(nowMs / 1000)) },
  };
}
