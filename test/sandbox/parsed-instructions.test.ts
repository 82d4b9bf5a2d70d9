import { address, createNoopSigner } from "@solana/kit";
import {
  AddressLookupTableProgram,
  Authorized,
  Keypair,
  Lockup,
  type PublicKey,
  StakeProgram,
  SystemProgram,
  type TransactionInstruction,
} from "@solana/web3.js";
import * as splToken from "@solana-program/token";
import { describe, expect, it } from "vitest";
import { parseInstruction } from "../../src/sandbox/encoding/parsed-instructions.js";

const key = () => Keypair.generate().publicKey;
const b58 = (k: PublicKey) => k.toBase58();

/** Compiles one web3.js instruction against its own key list (program last). */
function parse(ix: TransactionInstruction) {
  const keys = [...ix.keys.map((k) => b58(k.pubkey)), b58(ix.programId)];
  return parseInstruction(
    {
      programIdIndex: keys.length - 1,
      accounts: ix.keys.map((_, i) => i),
      data: Uint8Array.from(ix.data),
    },
    keys,
    null,
  );
}

describe("jsonParsed instructions match agave's names and fields", () => {
  it("system: createAccount, createAccountWithSeed and nonce instructions", () => {
    const [from, to, owner, base] = [key(), key(), key(), key()];
    expect(
      parse(
        SystemProgram.createAccount({
          fromPubkey: from,
          newAccountPubkey: to,
          lamports: 5,
          space: 9,
          programId: owner,
        }),
      ),
    ).toMatchObject({
      program: "system",
      parsed: {
        type: "createAccount",
        info: {
          source: b58(from),
          newAccount: b58(to),
          lamports: 5n,
          space: 9n,
          owner: b58(owner),
        },
      },
    });
    const withSeed = SystemProgram.createAccountWithSeed({
      fromPubkey: from,
      newAccountPubkey: to,
      basePubkey: base,
      seed: "seed-1",
      lamports: 7,
      space: 3,
      programId: owner,
    });
    expect(parse(withSeed).parsed).toEqual({
      type: "createAccountWithSeed",
      info: {
        source: b58(from),
        newAccount: b58(to),
        base: b58(base),
        seed: "seed-1",
        lamports: 7n,
        space: 3n,
        owner: b58(owner),
      },
    });
    const [nonce, authority] = [key(), key()];
    expect(
      parse(SystemProgram.nonceAdvance({ noncePubkey: nonce, authorizedPubkey: authority })).parsed,
    ).toEqual({
      type: "advanceNonce",
      info: {
        nonceAccount: b58(nonce),
        recentBlockhashesSysvar: "SysvarRecentB1ockHashes11111111111111111111",
        nonceAuthority: b58(authority),
      },
    });
  });

  it("spl-token: transferChecked with a token amount, and a multisig authority", () => {
    const [source, mint, destination, owner, signerA, signerB] = [
      key(),
      key(),
      key(),
      key(),
      key(),
      key(),
    ];
    const ix = splToken.getTransferCheckedInstruction({
      source: address(b58(source)),
      mint: address(b58(mint)),
      destination: address(b58(destination)),
      authority: createNoopSigner(address(b58(owner))),
      amount: 1_500_000n,
      decimals: 6,
    });
    const keys = [
      ...(ix.accounts ?? []).map((a) => a.address as string),
      ix.programAddress as string,
    ];
    const parsed = parseInstruction(
      {
        programIdIndex: keys.length - 1,
        accounts: [0, 1, 2, 3],
        data: Uint8Array.from(ix.data ?? []),
      },
      keys,
      2,
    );
    expect(parsed).toEqual({
      program: "spl-token",
      programId: splToken.TOKEN_PROGRAM_ADDRESS,
      parsed: {
        type: "transferChecked",
        info: {
          source: b58(source),
          mint: b58(mint),
          destination: b58(destination),
          authority: b58(owner),
          tokenAmount: { amount: "1500000", decimals: 6, uiAmount: 1.5, uiAmountString: "1.5" },
        },
      },
      stackHeight: 2,
    });
    const multisig = parseInstruction(
      { programIdIndex: 6, accounts: [0, 1, 2, 3, 4, 5], data: Uint8Array.from(ix.data ?? []) },
      [
        b58(source),
        b58(mint),
        b58(destination),
        b58(owner),
        b58(signerA),
        b58(signerB),
        splToken.TOKEN_PROGRAM_ADDRESS,
      ],
      null,
    );
    expect(multisig.parsed).toMatchObject({
      info: { multisigAuthority: b58(owner), signers: [b58(signerA), b58(signerB)] },
    });
  });

  it("stake: initialize and delegate in the legacy layout", () => {
    const [stake, staker, withdrawer, vote] = [key(), key(), key(), key()];
    const init = StakeProgram.initialize({
      stakePubkey: stake,
      authorized: new Authorized(staker, withdrawer),
      lockup: new Lockup(0, 0, SystemProgram.programId),
    });
    expect(parse(init).parsed).toEqual({
      type: "initialize",
      info: {
        stakeAccount: b58(stake),
        rentSysvar: "SysvarRent111111111111111111111111111111111",
        authorized: { staker: b58(staker), withdrawer: b58(withdrawer) },
        lockup: { unixTimestamp: 0n, epoch: 0n, custodian: b58(SystemProgram.programId) },
      },
    });
    const [delegate] = StakeProgram.delegate({
      stakePubkey: stake,
      authorizedPubkey: staker,
      votePubkey: vote,
    }).instructions;
    expect(parse(delegate as TransactionInstruction).parsed).toEqual({
      type: "delegate",
      info: {
        stakeAccount: b58(stake),
        voteAccount: b58(vote),
        clockSysvar: "SysvarC1ock11111111111111111111111111111111",
        stakeHistorySysvar: "SysvarStakeHistory1111111111111111111111111",
        stakeConfigAccount: "StakeConfig11111111111111111111111111111111",
        stakeAuthority: b58(staker),
      },
    });
  });

  it("lookup tables, and an unparsable instruction stays partially decoded", () => {
    const [authority, table] = [key(), key()];
    const freeze = AddressLookupTableProgram.freezeLookupTable({ lookupTable: table, authority });
    expect(parse(freeze)).toMatchObject({
      program: "address-lookup-table",
      parsed: {
        type: "freezeLookupTable",
        info: { lookupTableAccount: b58(table), lookupTableAuthority: b58(authority) },
      },
    });
    const broken = SystemProgram.transfer({ fromPubkey: authority, toPubkey: table, lamports: 1 });
    broken.data = broken.data.subarray(0, 6);
    expect(parse(broken)).toEqual({
      programId: b58(SystemProgram.programId),
      accounts: [b58(authority), b58(table)],
      data: expect.any(String),
      stackHeight: null,
    });
  });
});
