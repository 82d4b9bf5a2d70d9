import { execFileSync } from "node:child_process";
import * as zlib from "node:zlib";
import { type Address, address, createSolanaRpc, type Instruction } from "@solana/kit";
import {
  AddressLookupTableProgram,
  Authorized,
  type Connection,
  Keypair,
  LAMPORTS_PER_SOL,
  Lockup,
  NONCE_ACCOUNT_LENGTH,
  NonceAccount,
  type ParsedAccountData,
  PublicKey,
  StakeProgram,
  SystemProgram,
  sendAndConfirmTransaction,
  Transaction,
  TransactionInstruction,
  VoteInit,
  VoteProgram,
} from "@solana/web3.js";
import * as splToken from "@solana-program/token";
import * as token2022 from "@solana-program/token-2022";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { type RunningSandbox, startSandbox } from "../../src/sandbox/index.js";
import { rawRpc } from "./rpc-helpers.js";
import { toWeb3Instruction } from "./to-web3-instruction.js";
import { airdropConfirmed, createWeb3Connection } from "./web3-connection.js";

// Every account here is made by a real transaction (web3.js v1 builds, signs and sends), then read
// back through both official clients: kit's getAccountInfo(jsonParsed) and web3.js'
// getParsedAccountInfo, against agave's account-decoder shapes.

const UPGRADEABLE_LOADER = new PublicKey("BPFLoaderUpgradeab1e11111111111111111111111");
const SYSVAR_RENT = new PublicKey("SysvarRent111111111111111111111111111111111");
const U64_MAX = "18446744073709551615";

let sandbox: RunningSandbox;
let url: string;
let connection: Connection;
let rpc: ReturnType<typeof createSolanaRpc>;
const payer = Keypair.generate();

const asAddress = (key: PublicKey): Address => address(key.toBase58());

async function send(tx: Transaction, ...signers: Keypair[]) {
  return sendAndConfirmTransaction(connection, tx, [payer, ...signers], {
    commitment: "confirmed",
  });
}

async function createOwned(account: Keypair, space: number, owner: PublicKey) {
  const lamports = await connection.getMinimumBalanceForRentExemption(space);
  return SystemProgram.createAccount({
    fromPubkey: payer.publicKey,
    newAccountPubkey: account.publicKey,
    lamports,
    space,
    programId: owner,
  });
}

async function parsedInfo(key: PublicKey) {
  const info = await connection.getParsedAccountInfo(key, "confirmed");
  return info.value?.data as ParsedAccountData;
}

async function kitParsed(key: PublicKey | string) {
  const target = typeof key === "string" ? address(key) : asAddress(key);
  const { value } = await rpc.getAccountInfo(target, { encoding: "jsonParsed" }).send();
  return value?.data as unknown as {
    program: string;
    // biome-ignore lint/suspicious/noExplicitAny: parsed JSON at the test boundary
    parsed: { type: string; info: any };
    space: bigint;
  };
}

/** An independent decoder: Node's own zstd where it has one (≥ 22.15), else the zstd CLI. */
function zstdDecompress(frame: string): Buffer {
  const input = Buffer.from(frame, "base64");
  const native = (zlib as { zstdDecompressSync?: (input: Buffer) => Buffer }).zstdDecompressSync;
  return native ? native(input) : execFileSync("zstd", ["-d", "-c"], { input });
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, slotMs: 50 });
  url = sandbox.rpcUrls[0] as string;
  rpc = createSolanaRpc(url);
  connection = createWeb3Connection(sandbox);
  await airdropConfirmed(connection, payer.publicKey, 100 * LAMPORTS_PER_SOL);
});

afterAll(async () => {
  await sandbox.close();
});

describe("jsonParsed: accounts made by real transactions", () => {
  it("parses a durable nonce account (program nonce)", async () => {
    const nonce = Keypair.generate();
    const authority = Keypair.generate();
    const lamports = await connection.getMinimumBalanceForRentExemption(NONCE_ACCOUNT_LENGTH);
    await send(
      new Transaction().add(
        SystemProgram.createNonceAccount({
          fromPubkey: payer.publicKey,
          noncePubkey: nonce.publicKey,
          authorizedPubkey: authority.publicKey,
          lamports,
        }),
      ),
      nonce,
    );
    const raw = await connection.getAccountInfo(nonce.publicKey);
    const stored = NonceAccount.fromAccountData(raw?.data as Buffer);
    const parsed = await parsedInfo(nonce.publicKey);
    expect(parsed).toEqual({
      program: "nonce",
      space: NONCE_ACCOUNT_LENGTH,
      parsed: {
        type: "initialized",
        info: {
          authority: authority.publicKey.toBase58(),
          blockhash: stored.nonce,
          feeCalculator: { lamportsPerSignature: expect.stringMatching(/^\d+$/) },
        },
      },
    });
    const kit = await kitParsed(nonce.publicKey);
    expect(kit.program).toBe("nonce");
    expect(kit.space).toBe(80n);
    expect(kit.parsed.info.blockhash).toBe(stored.nonce);
  });

  it("parses SPL Token and Token-2022 multisigs (type multisig, default signer slots left out)", async () => {
    for (const [programId, build, label] of [
      [splToken.TOKEN_PROGRAM_ADDRESS, splToken.getInitializeMultisigInstruction, "spl-token"],
      [
        token2022.TOKEN_2022_PROGRAM_ADDRESS,
        token2022.getInitializeMultisigInstruction,
        "spl-token-2022",
      ],
    ] as const) {
      const multisig = Keypair.generate();
      const signers = [Keypair.generate(), Keypair.generate(), Keypair.generate()];
      const init = build({
        multisig: asAddress(multisig.publicKey),
        m: 2,
        signers: signers.map((s) => asAddress(s.publicKey)),
      });
      await send(
        new Transaction().add(
          await createOwned(multisig, 355, new PublicKey(programId)),
          toWeb3Instruction(init as Instruction),
        ),
        multisig,
      );
      const parsed = await parsedInfo(multisig.publicKey);
      expect(parsed).toEqual({
        program: label,
        space: 355,
        parsed: {
          type: "multisig",
          info: {
            numRequiredSigners: 2,
            numValidSigners: 3,
            isInitialized: true,
            signers: signers.map((s) => s.publicKey.toBase58()),
          },
        },
      });
    }
  });

  it("parses an address lookup table created and extended on chain", async () => {
    // The newest slot the SlotHashes sysvar holds, read through our own parser.
    const slotHashes = await kitParsed("SysvarS1otHashes111111111111111111111111111");
    expect(slotHashes.parsed.type).toBe("slotHashes");
    const recentSlot = slotHashes.parsed.info[0].slot as bigint;
    const authority = Keypair.generate();
    const [create, table] = AddressLookupTableProgram.createLookupTable({
      authority: authority.publicKey,
      payer: payer.publicKey,
      recentSlot: Number(recentSlot),
    });
    const entries = [Keypair.generate().publicKey, Keypair.generate().publicKey];
    const extend = AddressLookupTableProgram.extendLookupTable({
      lookupTable: table,
      authority: authority.publicKey,
      payer: payer.publicKey,
      addresses: entries,
    });
    await send(new Transaction().add(create, extend), authority);
    const kit = await kitParsed(table);
    expect(kit.program).toBe("address-lookup-table");
    expect(kit.space).toBe(56n + 64n);
    expect(kit.parsed.type).toBe("lookupTable");
    expect(kit.parsed.info).toMatchObject({
      authority: authority.publicKey.toBase58(),
      deactivationSlot: U64_MAX,
      lastExtendedSlot: expect.stringMatching(/^\d+$/),
      lastExtendedSlotStartIndex: 0,
      addresses: entries.map((e) => e.toBase58()),
    });
    const web3 = await parsedInfo(table);
    expect(web3.parsed.info.addresses).toEqual(entries.map((e) => e.toBase58()));
  });

  it("parses a vote account (agave's V4 view of any version) and a stake account", async () => {
    const vote = Keypair.generate();
    const node = Keypair.generate();
    const withdrawer = Keypair.generate();
    const lamports = await connection.getMinimumBalanceForRentExemption(VoteProgram.space);
    await send(
      VoteProgram.createAccount({
        fromPubkey: payer.publicKey,
        votePubkey: vote.publicKey,
        voteInit: new VoteInit(node.publicKey, vote.publicKey, withdrawer.publicKey, 7),
        lamports,
      }),
      vote,
      node,
    );
    const parsedVote = await kitParsed(vote.publicKey);
    expect(parsedVote.program).toBe("vote");
    expect(parsedVote.parsed.type).toBe("vote");
    expect(parsedVote.parsed.info).toMatchObject({
      nodePubkey: node.publicKey.toBase58(),
      authorizedWithdrawer: withdrawer.publicKey.toBase58(),
      commission: 7,
      votes: [],
      rootSlot: null,
      authorizedVoters: [{ authorizedVoter: vote.publicKey.toBase58() }],
      priorVoters: [],
      epochCredits: [],
      inflationRewardsCommissionBps: 700,
      inflationRewardsCollector: vote.publicKey.toBase58(),
      blockRevenueCollector: node.publicKey.toBase58(),
      blockRevenueCommissionBps: 10_000,
      pendingDelegatorRewards: "0",
      blsPubkeyCompressed: null,
    });
    expect(typeof parsedVote.parsed.info.lastTimestamp.slot).toBe("bigint");

    const stake = Keypair.generate();
    const staker = Keypair.generate();
    const stakeLamports = 5n * BigInt(LAMPORTS_PER_SOL);
    await send(
      StakeProgram.createAccount({
        fromPubkey: payer.publicKey,
        stakePubkey: stake.publicKey,
        authorized: new Authorized(staker.publicKey, staker.publicKey),
        lockup: new Lockup(0, 0, PublicKey.default),
        lamports: Number(stakeLamports),
      }),
      stake,
    );
    const rentReserve = await connection.getMinimumBalanceForRentExemption(StakeProgram.space);
    const initialized = await parsedInfo(stake.publicKey);
    expect(initialized).toEqual({
      program: "stake",
      space: 200,
      parsed: {
        type: "initialized",
        info: {
          meta: {
            rentExemptReserve: String(rentReserve),
            authorized: {
              staker: staker.publicKey.toBase58(),
              withdrawer: staker.publicKey.toBase58(),
            },
            lockup: { unixTimestamp: 0, epoch: 0, custodian: PublicKey.default.toBase58() },
          },
          stake: null,
        },
      },
    });
    await send(
      StakeProgram.delegate({
        stakePubkey: stake.publicKey,
        authorizedPubkey: staker.publicKey,
        votePubkey: vote.publicKey,
      }),
      staker,
    );
    const delegated = await kitParsed(stake.publicKey);
    expect(delegated.parsed.type).toBe("delegated");
    expect(delegated.parsed.info.stake).toEqual({
      delegation: {
        voter: vote.publicKey.toBase58(),
        stake: String(stakeLamports - BigInt(rentReserve)),
        activationEpoch: expect.stringMatching(/^\d+$/),
        deactivationEpoch: U64_MAX,
      },
      creditsObserved: 0n,
    });
  });

  it("parses an upgradeable-loader buffer, its payload as base64 inside parsed", async () => {
    const buffer = Keypair.generate();
    const authority = Keypair.generate();
    const payload = Buffer.from("not an ELF, just bytes");
    const write = Buffer.alloc(4 + 4 + 8 + payload.length);
    write.writeUInt32LE(1, 0); // Write
    write.writeUInt32LE(0, 4); // offset
    write.writeBigUInt64LE(BigInt(payload.length), 8);
    payload.copy(write, 16);
    const keys = (signer: boolean) => [
      { pubkey: buffer.publicKey, isSigner: false, isWritable: true },
      { pubkey: authority.publicKey, isSigner: signer, isWritable: false },
    ];
    await send(
      new Transaction().add(
        await createOwned(buffer, 37 + payload.length, UPGRADEABLE_LOADER),
        new TransactionInstruction({
          programId: UPGRADEABLE_LOADER,
          keys: keys(false),
          data: Buffer.alloc(4),
        }),
        new TransactionInstruction({
          programId: UPGRADEABLE_LOADER,
          keys: keys(true),
          data: write,
        }),
      ),
      buffer,
      authority,
    );
    expect(await parsedInfo(buffer.publicKey)).toEqual({
      program: "bpf-upgradeable-loader",
      space: 37 + payload.length,
      parsed: {
        type: "buffer",
        info: {
          authority: authority.publicKey.toBase58(),
          data: [payload.toString("base64"), "base64"],
        },
      },
    });
  });
});

describe("jsonParsed: sysvars and fallbacks", () => {
  it("parses the clock and rent sysvars", async () => {
    const clock = await kitParsed("SysvarC1ock11111111111111111111111111111111");
    expect(clock.program).toBe("sysvar");
    expect(clock.parsed.type).toBe("clock");
    expect(Object.keys(clock.parsed.info).sort()).toEqual(
      ["epoch", "epochStartTimestamp", "leaderScheduleEpoch", "slot", "unixTimestamp"].sort(),
    );
    expect(typeof clock.parsed.info.slot).toBe("bigint");
    const rent = await parsedInfo(SYSVAR_RENT);
    const minimum = await connection.getMinimumBalanceForRentExemption(0);
    expect(rent.parsed.type).toBe("rent");
    // 128 bytes of account overhead at the rent-exempt price per byte.
    expect(BigInt(rent.parsed.info.lamportsPerByte) * 128n).toBe(BigInt(minimum));
    expect(rent.parsed.info).toMatchObject({
      burnPercent: 50,
      lamportsPerByteYear: expect.any(String),
    });
  });

  it("falls back to base64 where agave does (unparsable data, stake config), slicing it", async () => {
    const plain = Keypair.generate();
    await send(
      new Transaction().add(
        SystemProgram.createAccount({
          fromPubkey: payer.publicKey,
          newAccountPubkey: plain.publicKey,
          lamports: await connection.getMinimumBalanceForRentExemption(9),
          space: 9,
          programId: SystemProgram.programId,
        }),
      ),
      plain,
    );
    const info = await rawRpc(url, "getAccountInfo", [
      plain.publicKey.toBase58(),
      { encoding: "jsonParsed", dataSlice: { offset: 0, length: 4 }, commitment: "confirmed" },
    ]);
    expect(info.body.result.value.data).toEqual(["AAAAAA==", "base64"]);
    const config = await kitParsed("StakeConfig11111111111111111111111111111111");
    expect(Array.isArray(config)).toBe(true);
    expect((config as unknown as string[])[1]).toBe("base64");
  });

  it("lists parsed vote and token multisig accounts from getProgramAccounts(jsonParsed)", async () => {
    const votes = await rpc
      .getProgramAccounts(address("Vote111111111111111111111111111111111111111"), {
        encoding: "jsonParsed",
      })
      .send();
    expect(votes.length).toBeGreaterThan(0);
    for (const { account } of votes) {
      expect((account.data as unknown as { program: string }).program).toBe("vote");
    }
    const multisigs = await rawRpc(url, "getProgramAccounts", [
      splToken.TOKEN_PROGRAM_ADDRESS,
      { encoding: "jsonParsed", filters: [{ dataSize: 355 }] },
    ]);
    expect(multisigs.body.result.length).toBeGreaterThan(0);
    for (const { account } of multisigs.body.result) {
      expect(account.data.parsed.type).toBe("multisig");
    }
  });
});

describe("encodings", () => {
  it("round-trips base64+zstd through a real zstd decoder, agave's exact frame for small data", async () => {
    const vote = (
      await rpc
        .getProgramAccounts(address("Vote111111111111111111111111111111111111111"), {
          encoding: "base64",
        })
        .send()
    )[0];
    expect(vote).toBeDefined();
    const key = vote?.pubkey as Address;
    // The vote account votes every slot: hold the clock so both reads see the same data.
    sandbox.chain.clock.pause();
    onTestFinished(() => sandbox.chain.clock.resume());
    // Every read at confirmed: test-made vote accounts may be younger than a finalized slot.
    const commitment = "confirmed";
    const plain = (await rpc.getAccountInfo(key, { encoding: "base64", commitment }).send()).value
      ?.data;
    const zstd = (await rpc.getAccountInfo(key, { encoding: "base64+zstd", commitment }).send())
      .value?.data;
    expect(zstd?.[1]).toBe("base64+zstd");
    const frame = zstd?.[0] as string;
    expect(zstdDecompress(frame).toString("base64")).toBe(plain?.[0]);
    // Mostly zero padding: the frame is a small fraction of the 3762-byte account.
    expect(Buffer.from(frame, "base64").length).toBeLessThan(1000);

    const sliced = await rawRpc(url, "getMultipleAccounts", [
      [key],
      { encoding: "base64+zstd", dataSlice: { offset: 4, length: 9 }, commitment: "confirmed" },
    ]);
    const slicedFrame = sliced.body.result.value[0].data[0];
    expect(zstdDecompress(slicedFrame)).toEqual(
      Buffer.from(plain?.[0] as string, "base64").subarray(4, 13),
    );

    const small = await rawRpc(url, "getProgramAccounts", [
      "Vote111111111111111111111111111111111111111",
      { encoding: "base64+zstd", dataSlice: { offset: 0, length: 0 }, withContext: true },
    ]);
    expect(small.body.result.value[0].account.data).toEqual(["KLUv/SAAAQAA", "base64+zstd"]);
  });

  it("defaults getMultipleAccounts to base64 and getAccountInfo to bare base58", async () => {
    const key = payer.publicKey.toBase58();
    // Funded by an airdrop sent over RPC: at the default (finalized) it may not be there yet.
    const confirmed = { commitment: "confirmed" };
    const multiple = await rawRpc(url, "getMultipleAccounts", [[key], confirmed]);
    expect(multiple.body.result.value[0].data).toEqual(["", "base64"]);
    const single = await rawRpc(url, "getAccountInfo", [key, confirmed]);
    expect(single.body.result.value.data).toBe("");
  });

  it("refuses base58 past 128 bytes with agave's -32600, unless sliced under it", async () => {
    const vote = (
      await rpc
        .getProgramAccounts(address("Vote111111111111111111111111111111111111111"), {
          dataSlice: { offset: 0, length: 0 },
          encoding: "base64",
        })
        .send()
    )[0]?.pubkey as string;
    const refused = await rawRpc(url, "getAccountInfo", [
      vote,
      { encoding: "base58", commitment: "confirmed" },
    ]);
    expect(refused.body.error).toEqual({
      code: -32600,
      message:
        "Encoded binary (base 58) data should be less than 128 bytes, please use Base64 encoding.",
    });
    const sliced = await rawRpc(url, "getAccountInfo", [
      vote,
      { encoding: "base58", dataSlice: { offset: 0, length: 4 }, commitment: "confirmed" },
    ]);
    expect(sliced.body.result.value.data[1]).toBe("base58");
  });

  it("filters program accounts by memcmp in base58 and base64 and words bad bytes as agave", async () => {
    const vote = Keypair.generate();
    const node = Keypair.generate();
    await send(
      VoteProgram.createAccount({
        fromPubkey: payer.publicKey,
        votePubkey: vote.publicKey,
        voteInit: new VoteInit(node.publicKey, vote.publicKey, node.publicKey, 1),
        lamports: await connection.getMinimumBalanceForRentExemption(VoteProgram.space),
      }),
      vote,
      node,
    );
    const byNode = (bytes: string, encoding: "base58" | "base64") =>
      rawRpc(url, "getProgramAccounts", [
        "Vote111111111111111111111111111111111111111",
        {
          encoding: "base64",
          filters: [{ memcmp: { offset: 4, bytes, encoding } }, { dataSize: 3762 }],
        },
      ]);
    const b58 = await byNode(node.publicKey.toBase58(), "base58");
    expect(b58.body.result.map((a: { pubkey: string }) => a.pubkey)).toEqual([
      vote.publicKey.toBase58(),
    ]);
    const b64 = await byNode(node.publicKey.toBuffer().toString("base64"), "base64");
    expect(b64.body.result.map((a: { pubkey: string }) => a.pubkey)).toEqual([
      vote.publicKey.toBase58(),
    ]);
    const bad = await byNode("l0l", "base58");
    expect(bad.body.error.code).toBe(-32602);
    expect(bad.body.error.message).toBe(
      "Invalid param: Base58DecodeError(InvalidCharacter { character: 'l', index: 0 })",
    );
  });

  it("returns program accounts in pubkey byte order and words agave's limits", async () => {
    const { body } = await rawRpc(url, "getProgramAccounts", [
      "Vote111111111111111111111111111111111111111",
      { encoding: "base64", dataSlice: { offset: 0, length: 0 } },
    ]);
    const keys = body.result.map((a: { pubkey: string }) => new PublicKey(a.pubkey).toBuffer());
    expect(keys.length).toBeGreaterThan(1);
    expect([...keys].sort(Buffer.compare)).toEqual(keys);
    const tooMany = await rawRpc(url, "getMultipleAccounts", [
      Array.from({ length: 101 }, () => payer.publicKey.toBase58()),
    ]);
    expect(tooMany.body.error).toEqual({
      code: -32602,
      message: "Too many inputs provided; max 100",
    });
    const filters = Array.from({ length: 5 }, () => ({ dataSize: 1 }));
    const tooManyFilters = await rawRpc(url, "getProgramAccounts", [
      "Vote111111111111111111111111111111111111111",
      { filters },
    ]);
    expect(tooManyFilters.body.error).toEqual({
      code: -32602,
      message: "Too many filters provided; max 4",
    });
  });
});
