import {
  type Address,
  address,
  createSolanaRpc,
  generateKeyPairSigner,
  getAddressEncoder,
  isSolanaError,
  lamports,
  SOLANA_ERROR__JSON_RPC__INVALID_PARAMS,
} from "@solana/kit";
import {
  Authorized,
  Connection,
  Keypair,
  LAMPORTS_PER_SOL,
  PublicKey,
  StakeProgram,
  sendAndConfirmTransaction,
} from "@solana/web3.js";
import { getCreateAccountInstruction } from "@solana-program/system";
import * as splToken from "@solana-program/token";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeVoteState } from "../../src/sandbox/chain/vote-state.js";
import { type RunningSandbox, startSandbox } from "../../src/sandbox/index.js";
import { createKitClients } from "./kit-helpers.js";
import { rawRpc } from "./rpc-helpers.js";

const SLOTS_PER_EPOCH = 432_000;
const NOT_A_VALIDATOR = "BnWCFuxmi6uH3ceVx4R8qcbWBMPVVYVVFWtAiiTA1PAu";

let sandbox: RunningSandbox;
let connection: Connection;
let kit: ReturnType<typeof createKitClients>;
let url: string;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, slotMs: 50 });
  url = sandbox.rpcUrls[0] as string;
  connection = new Connection(url, { commitment: "confirmed" });
  kit = createKitClients(url, sandbox.wsUrls[0] as string);
});

afterAll(async () => {
  await sandbox.close();
});

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

describe("single-validator cluster answers", () => {
  it("names one identity everywhere: identity, slot leaders, leader schedule, cluster nodes", async () => {
    const { identity } = await kit.rpc.getIdentity().send();
    expect(identity).toBe(sandbox.chain.validator.identity);
    expect(await kit.rpc.getSlotLeader({ commitment: "confirmed" }).send()).toBe(identity);
    expect((await connection.getSlotLeader()).toString()).toBe(identity);

    const slot = await connection.getSlot();
    const leaders = await connection.getSlotLeaders(slot, 10);
    expect(leaders.map((key) => key.toBase58())).toEqual(Array(10).fill(identity));

    const schedule = await connection.getLeaderSchedule();
    expect(Object.keys(schedule)).toEqual([identity]);
    expect(schedule[identity]).toHaveLength(SLOTS_PER_EPOCH);
    expect(schedule[identity]?.[SLOTS_PER_EPOCH - 1]).toBe(SLOTS_PER_EPOCH - 1);
    const filtered = await kit.rpc
      .getLeaderSchedule(null, { identity: address(NOT_A_VALIDATOR) })
      .send();
    expect(filtered).toEqual({});
    // kit refuses to send unsafe integers, so the far-future slot goes raw.
    const farAway = await rawRpc(url, "getLeaderSchedule", [2 ** 62]);
    expect(farAway.body.result).toBeNull();

    const [node, ...others] = await connection.getClusterNodes();
    expect(others).toHaveLength(0);
    const { port } = new URL(url);
    expect(node).toMatchObject({ pubkey: identity, rpc: `127.0.0.1:${port}`, tpu: null });
    const { "solana-core": version } = await connection.getVersion();
    expect(node?.version).toBe(version);
  });

  it("refuses slot-leader ranges as the validator does", async () => {
    const tooMany = await rejectionOf(kit.rpc.getSlotLeaders(1000n, 5001).send());
    expect(isSolanaError(tooMany, SOLANA_ERROR__JSON_RPC__INVALID_PARAMS)).toBe(true);
    expect((tooMany as Error).message).toContain("Invalid limit; max 5000");
    const unknownEpoch = await rawRpc(url, "getSlotLeaders", [2 ** 62, 3]);
    expect(unknownEpoch.body.error).toEqual({
      code: -32602,
      message: `Invalid slot range: leader schedule for epoch ${2n ** 62n / 432_000n} is unavailable`,
    });
  });

  it("reports a real vote account voting every slot, staked by the bootstrap stake", async () => {
    const { identity, voteAccount, stakeAccount } = sandbox.chain.validator;
    const { current, delinquent } = await connection.getVoteAccounts();
    expect(delinquent).toEqual([]);
    const ours = current.find((info) => info.votePubkey === voteAccount);
    const stake = await connection.getAccountInfo(new PublicKey(stakeAccount));
    const rentReserve = await connection.getMinimumBalanceForRentExemption(200);
    expect(ours).toMatchObject({ nodePubkey: identity, commission: 0, epochVoteAccount: true });
    expect(ours?.activatedStake).toBe((stake?.lamports ?? 0) - rentReserve);
    const slot = await connection.getSlot("processed");
    expect(ours?.lastVote).toBeGreaterThan(slot - 128);

    // The account holds the vote state the answer came from (VoteStateVersions::Current).
    const account = await connection.getAccountInfo(new PublicKey(voteAccount));
    expect(account?.owner.toBase58()).toBe("Vote111111111111111111111111111111111111111");
    expect(account?.data.length).toBe(3762);
    const state = decodeVoteState(new Uint8Array(account?.data ?? []));
    // solana-test-validator's genesis: the vote account votes and withdraws for itself.
    expect(state).toMatchObject({ nodePubkey: identity, authorizedWithdrawer: voteAccount });
    expect(state?.authorizedVoters.map((entry) => entry.voter)).toEqual([voteAccount]);
    expect(state?.votes.length).toBeGreaterThan(0);

    // The stake program itself reads the vote state when stake is delegated to it.
    const staker = Keypair.generate();
    const stakeKeys = Keypair.generate();
    sandbox.chain.airdrop(address(staker.publicKey.toBase58()), 3n * BigInt(LAMPORTS_PER_SOL));
    const { value: minimum } = await connection.getStakeMinimumDelegation();
    const delegation = StakeProgram.createAccount({
      fromPubkey: staker.publicKey,
      stakePubkey: stakeKeys.publicKey,
      authorized: new Authorized(staker.publicKey, staker.publicKey),
      lamports: rentReserve + minimum,
    }).add(
      StakeProgram.delegate({
        stakePubkey: stakeKeys.publicKey,
        authorizedPubkey: staker.publicKey,
        votePubkey: new PublicKey(voteAccount),
      }),
    );
    await sendAndConfirmTransaction(connection, delegation, [staker, stakeKeys]);
    const delegated = await connection.getAccountInfo(stakeKeys.publicKey);
    expect(delegated?.data.readUInt32LE(0)).toBe(2); // StakeStateV2::Stake
    // Activating this epoch: active stake counts from the next one.
    const after = await connection.getVoteAccounts();
    expect(after.current.find((info) => info.votePubkey === voteAccount)?.activatedStake).toBe(
      ours?.activatedStake,
    );

    const none = await kit.rpc.getVoteAccounts({ votePubkey: address(NOT_A_VALIDATOR) }).send();
    expect(none).toEqual({ current: [], delinquent: [] });
  });

  it("answers supply, largest accounts and inflation consistently", async () => {
    const { faucetAddress, validator } = sandbox.chain;
    const supply = await kit.rpc.getSupply({ commitment: "confirmed" }).send();
    const { value } = supply;
    expect(value.circulating + value.nonCirculating).toBe(value.total);
    // agave lists mainnet's non-circulating accounts on every cluster, present or not.
    expect(value.nonCirculatingAccounts.length).toBeGreaterThan(100);
    const excluded = await connection.getSupply({ excludeNonCirculatingAccountsList: true });
    expect(excluded.value.nonCirculatingAccounts).toEqual([]);

    const largest = await kit.rpc.getLargestAccounts({ commitment: "confirmed" }).send();
    expect(largest.value).toHaveLength(20);
    const byAddress = new Map(largest.value.map((entry) => [entry.address, entry.lamports]));
    for (const key of [faucetAddress, validator.identity, validator.voteAccount]) {
      const { value: balance } = await kit.rpc.getBalance(key).send();
      expect(byAddress.get(key)).toBe(balance);
    }
    const listed = largest.value.reduce((sum, entry) => sum + entry.lamports, 0n);
    expect(listed <= value.total).toBe(true);
    const sorted = largest.value.map((entry) => entry.lamports);
    expect(sorted).toEqual([...sorted].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)));
    const nonCirculating = await connection.getLargestAccounts({ filter: "nonCirculating" });
    expect(nonCirculating.value).toEqual([]);

    const governor = await connection.getInflationGovernor();
    expect(governor).toEqual({
      initial: 0.08,
      terminal: 0.015,
      taper: 0.15,
      foundation: 0.05,
      foundationTerm: 7,
    });
    const rate = await connection.getInflationRate();
    expect(rate.epoch).toBe(0);
    expect(rate.total).toBeCloseTo(rate.validator + rate.foundation, 12);
    // Epoch 0's rewards would be paid in epoch 1's first block, which the sandbox has not reached.
    const reward = await rawRpc(url, "getInflationReward", [[validator.voteAccount]]);
    expect(reward.body.error).toEqual({
      code: -32004,
      message: `Block not available for slot ${SLOTS_PER_EPOCH}`,
    });
    const minimum = await connection.getStakeMinimumDelegation();
    expect(minimum.value).toBe(1_000_000_000);
  });

  it("reports block production for the identity over a range", async () => {
    const { identity, genesisSlot } = sandbox.chain.validator;
    // The window below needs ten slots produced, however early (or slowly) this test runs.
    if (sandbox.chain.getSlot() < genesisSlot + 10n) sandbox.chain.advance(10);
    const production = await connection.getBlockProduction();
    const { range, byIdentity } = production.value;
    expect(range.firstSlot).toBe(0);
    expect(range.lastSlot).toBe(production.context.slot);
    expect(byIdentity[identity]).toEqual([
      range.lastSlot - range.firstSlot + 1,
      range.lastSlot - Number(genesisSlot) + 1,
    ]);
    const window = await kit.rpc
      .getBlockProduction({ range: { firstSlot: genesisSlot, lastSlot: genesisSlot + 9n } })
      .send();
    expect(window.value.byIdentity[identity as Address]).toEqual([10n, 10n]);
    const other = await kit.rpc.getBlockProduction({ identity: address(NOT_A_VALIDATOR) }).send();
    expect(other.value.byIdentity).toEqual({});
    const tooFar = await rawRpc(url, "getBlockProduction", [
      { range: { firstSlot: 0, lastSlot: 2 ** 62 } },
    ]);
    expect(tooFar.body.error.message).toMatch(/^lastSlot, \d+, is too large; max \d+$/);
    expect(await kit.rpc.getMaxRetransmitSlot().send()).toBeGreaterThanOrEqual(
      production.context.slot,
    );
    expect(await kit.rpc.getMaxShredInsertSlot().send()).toBeGreaterThanOrEqual(
      production.context.slot,
    );
  });

  it("finds token accounts by delegate and words token errors as the validator does", async () => {
    const payer = await generateKeyPairSigner();
    const mint = await generateKeyPairSigner();
    const delegate = await generateKeyPairSigner();
    sandbox.chain.airdrop(payer.address, 10_000_000_000n);
    const rent = await kit.rpc.getMinimumBalanceForRentExemption(82n).send();
    const [ata] = await splToken.findAssociatedTokenPda({
      owner: payer.address,
      mint: mint.address,
      tokenProgram: splToken.TOKEN_PROGRAM_ADDRESS,
    });
    await kit.send(payer, [
      getCreateAccountInstruction({
        payer,
        newAccount: mint,
        lamports: lamports(rent),
        space: 82,
        programAddress: splToken.TOKEN_PROGRAM_ADDRESS,
      }),
      splToken.getInitializeMint2Instruction({
        mint: mint.address,
        decimals: 6,
        mintAuthority: payer.address,
      }),
      await splToken.getCreateAssociatedTokenInstructionAsync({
        payer,
        owner: payer.address,
        mint: mint.address,
      }),
      splToken.getMintToInstruction({
        mint: mint.address,
        token: ata,
        mintAuthority: payer,
        amount: 500n,
      }),
      splToken.getApproveInstruction({
        source: ata,
        delegate: delegate.address,
        owner: payer,
        amount: 200n,
      }),
    ]);
    for (const filter of [
      { mint: mint.address },
      { programId: splToken.TOKEN_PROGRAM_ADDRESS },
    ] as const) {
      const found = await kit.rpc
        .getTokenAccountsByDelegate(delegate.address, filter, { encoding: "jsonParsed" })
        .send();
      expect(found.value.map((entry) => entry.pubkey)).toEqual([ata]);
      expect(found.value[0]?.account.data.parsed.info).toMatchObject({
        delegate: delegate.address,
        delegatedAmount: { amount: "200" },
      });
    }
    const nobody = await kit.rpc
      .getTokenAccountsByDelegate(payer.address, { mint: mint.address })
      .send();
    expect(nobody.value).toEqual([]);

    // Several accounts of one owner come back in pubkey byte order, as agave sorts its scans.
    const holder = (await generateKeyPairSigner()).address;
    const held = await Promise.all(
      [1, 2, 3, 4].map(async () => (await generateKeyPairSigner()).address),
    );
    for (const key of held) {
      const data = new Uint8Array(165);
      data.set(getAddressEncoder().encode(mint.address), 0);
      data.set(getAddressEncoder().encode(holder), 32);
      data[108] = 1; // initialized
      sandbox.chain.setAccount({
        address: key,
        lamports: 2_039_280n,
        owner: splToken.TOKEN_PROGRAM_ADDRESS,
        data,
      });
    }
    const owned = await kit.rpc
      .getTokenAccountsByOwner(holder, { mint: mint.address }, { encoding: "base64" })
      .send();
    const byBytes = [...held].sort((a, b) =>
      Buffer.compare(
        Buffer.from(getAddressEncoder().encode(a)),
        Buffer.from(getAddressEncoder().encode(b)),
      ),
    );
    expect(owned.value.map((entry) => entry.pubkey)).toEqual(byBytes);

    const missing = (await generateKeyPairSigner()).address;
    const errors = await Promise.all([
      rawRpc(url, "getTokenAccountBalance", [missing]),
      rawRpc(url, "getTokenAccountBalance", [payer.address]),
      rawRpc(url, "getTokenSupply", [payer.address]),
      rawRpc(url, "getTokenAccountsByOwner", [payer.address, { mint: missing }]),
      rawRpc(url, "getTokenAccountsByDelegate", [payer.address, { mint: payer.address }]),
      rawRpc(url, "getTokenAccountsByOwner", [payer.address, { programId: payer.address }]),
    ]);
    expect(errors.map((response) => response.body.error)).toEqual(
      [
        "Invalid param: could not find account",
        "Invalid param: not a Token account",
        "Invalid param: not a Token mint",
        "Invalid param: could not find mint",
        "Invalid param: Token mint could not be unpacked",
        "Invalid param: unrecognized Token program id",
      ].map((message) => ({ code: -32602, message })),
    );
  });
});

describe("performance samples", () => {
  let manual: RunningSandbox;
  let wallClock = 1_800_000_000_000;

  beforeAll(async () => {
    manual = await startSandbox({ port: 0, manualClock: true, now: () => wallClock });
  });

  afterAll(async () => {
    await manual.close();
  });

  it("takes one sample per minute of slots, newest first, as a validator does", async () => {
    const rpc = createSolanaRpc(manual.rpcUrls[0] as string);
    expect(await rpc.getRecentPerformanceSamples().send()).toEqual([]);
    manual.chain.airdrop(address(NOT_A_VALIDATOR), 1_000_000n);
    manual.chain.advance(10);
    wallClock += 60_000;
    manual.chain.advance(140);
    manual.chain.airdrop(address(NOT_A_VALIDATOR), 1_000_000n);
    wallClock += 61_000;
    manual.chain.advance(5);
    const samples = await rpc.getRecentPerformanceSamples().send();
    expect(samples).toEqual([
      {
        slot: 1152n,
        numTransactions: 1n,
        numNonVoteTransactions: 1n,
        numSlots: 140n,
        samplePeriodSecs: 61,
      },
      {
        slot: 1012n,
        numTransactions: 1n,
        numNonVoteTransactions: 1n,
        // The genesis slot is sealed at start, so the first sample counts it too.
        numSlots: 12n,
        samplePeriodSecs: 60,
      },
    ]);
    expect(await rpc.getRecentPerformanceSamples(1).send()).toHaveLength(1);
    const tooMany = await rawRpc(manual.rpcUrls[0] as string, "getRecentPerformanceSamples", [721]);
    expect(tooMany.body.error).toEqual({ code: -32602, message: "Invalid limit; max 720" });
  });
});
