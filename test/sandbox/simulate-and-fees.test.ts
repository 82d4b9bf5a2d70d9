import {
  appendTransactionMessageInstructions,
  blockhash as asBlockhash,
  compileTransaction,
  compileTransactionMessage,
  createNoopSigner,
  createTransactionMessage,
  generateKeyPairSigner,
  getAddressEncoder,
  getBase64EncodedWireTransaction,
  getCompiledTransactionMessageEncoder,
  type KeyPairSigner,
  pipe,
  setTransactionMessageFeePayer,
  setTransactionMessageLifetimeUsingBlockhash,
} from "@solana/kit";
import { getTransferSolInstruction } from "@solana-program/system";
import { getTransferInstruction } from "@solana-program/token";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSandbox, TOKEN_PROGRAM } from "../../src/sandbox/index.js";
import { startFundedSandbox } from "./funded-sandbox.js";
import { rawRpc, signTransfer } from "./rpc-helpers.js";

let sandbox: RunningSandbox;
let url: string;
let payer: KeyPairSigner;

beforeAll(async () => {
  ({ sandbox, url, payer } = await startFundedSandbox({ manualClock: true }));
});

afterAll(async () => {
  await sandbox.close();
});

function unsignedTransferMessage(recentBlockhash: string, to: KeyPairSigner["address"]) {
  return pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayer(payer.address, m),
    (m) =>
      setTransactionMessageLifetimeUsingBlockhash(
        { blockhash: asBlockhash(recentBlockhash), lastValidBlockHeight: 0n },
        m,
      ),
    (m) =>
      appendTransactionMessageInstructions(
        [
          getTransferSolInstruction({
            source: createNoopSigner(payer.address),
            destination: to,
            amount: 1_000_000n,
          }),
        ],
        m,
      ),
  );
}

/** The account keys of a base64 wire transaction, in index order. */
function keysOf(wire: string): string[] {
  return sandbox.chain.decodeTransaction(Buffer.from(wire, "base64")).accountKeys;
}

describe("simulation and fees", () => {
  it("simulates unsigned transactions, replacing the blockhash and returning accounts", async () => {
    const recipient = await generateKeyPairSigner();
    const stale = "11111111111111111111111111111111";
    const wire = getBase64EncodedWireTransaction(
      compileTransaction(unsignedTransferMessage(stale, recipient.address)),
    );
    const plain = await rawRpc(url, "simulateTransaction", [
      wire,
      { encoding: "base64", commitment: "processed" },
    ]);
    expect(plain.body.result.value.err).toBe("BlockhashNotFound");

    const replaced = await rawRpc(url, "simulateTransaction", [
      wire,
      {
        encoding: "base64",
        commitment: "processed",
        replaceRecentBlockhash: true,
        innerInstructions: true,
        accounts: { addresses: [recipient.address], encoding: "base64" },
      },
    ]);
    const value = replaced.body.result.value;
    expect(value.err).toBeNull();
    expect(value.logs).toContain("Program 11111111111111111111111111111111 success");
    expect(value.unitsConsumed).toBe(150);
    expect(value.accounts[0]).toMatchObject({
      lamports: 1_000_000,
      owner: "11111111111111111111111111111111",
    });
    expect(value.replacementBlockhash.blockhash).toBe(
      sandbox.chain.getBlock(sandbox.chain.getSlot("processed")).blockhash,
    );
    expect(value.innerInstructions).toEqual([]);
    // Simulation never changes state.
    expect((await rawRpc(url, "getBalance", [recipient.address])).body.result.value).toBe(0);

    const both = await rawRpc(url, "simulateTransaction", [
      wire,
      { encoding: "base64", sigVerify: true, replaceRecentBlockhash: true },
    ]);
    expect(both.body.error.code).toBe(-32602);
    const unsigned = await rawRpc(url, "simulateTransaction", [
      wire,
      { encoding: "base64", sigVerify: true },
    ]);
    // agave 2.x returns the failed verification as the simulation's result.
    expect(unsigned.body.error).toBeUndefined();
    expect(unsigned.body.result.value).toMatchObject({
      err: "SignatureFailure",
      logs: [],
      unitsConsumed: 0,
      fee: null,
      preBalances: null,
      returnData: null,
    });
  });

  it("returns agave 2.x's full simulation result: fee, balances, loaded addresses, null return data", async () => {
    const recipient = await generateKeyPairSigner();
    const blockhash = sandbox.chain.getBlock(sandbox.chain.getSlot("processed")).blockhash;
    const { wire } = await signTransfer(payer, recipient.address, 1_000_000n, blockhash);
    const before = sandbox.chain.getAccount(payer.address)?.lamports ?? 0n;
    const ok = await rawRpc(url, "simulateTransaction", [
      wire,
      { encoding: "base64", commitment: "processed", sigVerify: true },
    ]);
    const value = ok.body.result.value;
    expect(Object.keys(value).sort()).toEqual(
      [
        "accounts",
        "err",
        "fee",
        "innerInstructions",
        "loadedAccountsDataSize",
        "loadedAddresses",
        "logs",
        "postBalances",
        "postTokenBalances",
        "preBalances",
        "preTokenBalances",
        "replacementBlockhash",
        "returnData",
        "unitsConsumed",
      ].sort(),
    );
    expect(value).toMatchObject({
      err: null,
      accounts: null,
      returnData: null,
      innerInstructions: null,
      replacementBlockhash: null,
      fee: 5000,
      preTokenBalances: [],
      postTokenBalances: [],
      loadedAddresses: { writable: [], readonly: [] },
    });
    // Keys: payer, recipient, System program.
    expect(value.preBalances.slice(0, 2)).toEqual([Number(before), 0]);
    expect(value.postBalances.slice(0, 2)).toEqual([Number(before) - 5000 - 1_000_000, 1_000_000]);
    expect(value.preBalances[2]).toBe(value.postBalances[2]);
    // The payer and the System program exist (the recipient does not): 64 bytes each plus data.
    expect(value.loadedAccountsDataSize).toBeGreaterThan(2 * 64);

    const broke = await generateKeyPairSigner();
    sandbox.chain.airdrop(broke.address, 2_000_000n);
    const tooMuch = await signTransfer(broke, recipient.address, 5_000_000n, blockhash);
    const failed = (
      await rawRpc(url, "simulateTransaction", [
        tooMuch.wire,
        { encoding: "base64", commitment: "processed", accounts: { addresses: [broke.address] } },
      ])
    ).body.result.value;
    expect(failed).toMatchObject({
      err: { InstructionError: [0, { Custom: 1 }] },
      fee: 5000,
      accounts: [null],
    });
    // A failed execution still charges the fee: only the fee payer's balance moves.
    expect(failed.preBalances.slice(0, 2)).toEqual([2_000_000, 0]);
    expect(failed.postBalances.slice(0, 2)).toEqual([1_995_000, 0]);

    const stale = await signTransfer(
      payer,
      recipient.address,
      1n,
      "11111111111111111111111111111111",
    );
    const unprocessed = (
      await rawRpc(url, "simulateTransaction", [
        stale.wire,
        { encoding: "base64", commitment: "processed" },
      ])
    ).body.result.value;
    expect(unprocessed).toMatchObject({
      err: "BlockhashNotFound",
      fee: null,
      preBalances: null,
      postBalances: null,
      loadedAccountsDataSize: 0,
      loadedAddresses: { writable: [], readonly: [] },
    });
  });

  it("reports pre and post token balances of a simulated token transfer", async () => {
    const [mint, source, destination] = await Promise.all([
      generateKeyPairSigner(),
      generateKeyPairSigner(),
      generateKeyPairSigner(),
    ]);
    const mintData = new Uint8Array(82);
    mintData.set(getAddressEncoder().encode(payer.address), 4);
    mintData[0] = 1;
    new DataView(mintData.buffer).setBigUint64(36, 1_000_000n, true);
    mintData[44] = 6;
    mintData[45] = 1;
    sandbox.chain.setAccount({
      address: mint.address,
      lamports: 1_461_600n,
      owner: TOKEN_PROGRAM,
      data: mintData,
    });
    const tokenAccount = (amount: bigint) => {
      const data = new Uint8Array(165);
      data.set(getAddressEncoder().encode(mint.address), 0);
      data.set(getAddressEncoder().encode(payer.address), 32);
      new DataView(data.buffer).setBigUint64(64, amount, true);
      data[108] = 1;
      return data;
    };
    for (const [account, amount] of [
      [source, 1_000_000n],
      [destination, 0n],
    ] as const) {
      sandbox.chain.setAccount({
        address: account.address,
        lamports: 2_039_280n,
        owner: TOKEN_PROGRAM,
        data: tokenAccount(amount),
      });
    }
    const message = pipe(
      createTransactionMessage({ version: 0 }),
      (m) => setTransactionMessageFeePayer(payer.address, m),
      (m) =>
        setTransactionMessageLifetimeUsingBlockhash(
          {
            blockhash: asBlockhash(
              sandbox.chain.getBlock(sandbox.chain.getSlot("processed")).blockhash,
            ),
            lastValidBlockHeight: 0n,
          },
          m,
        ),
      (m) =>
        appendTransactionMessageInstructions(
          [
            getTransferInstruction({
              source: source.address,
              destination: destination.address,
              authority: createNoopSigner(payer.address),
              amount: 250_000n,
            }),
          ],
          m,
        ),
    );
    const wire = getBase64EncodedWireTransaction(compileTransaction(message));
    const value = (
      await rawRpc(url, "simulateTransaction", [
        wire,
        { encoding: "base64", commitment: "processed" },
      ])
    ).body.result.value;
    expect(value.err).toBeNull();
    const balance = (accountIndex: number, amount: string, uiAmountString: string) => ({
      accountIndex,
      mint: mint.address,
      owner: payer.address,
      programId: TOKEN_PROGRAM,
      uiTokenAmount: { amount, decimals: 6, uiAmount: Number(uiAmountString), uiAmountString },
    });
    const indexOf = (address: string) => keysOf(wire).indexOf(address);
    const [src, dst] = [indexOf(source.address), indexOf(destination.address)];
    expect(value.preTokenBalances).toEqual(
      [balance(src, "1000000", "1"), balance(dst, "0", "0")].sort(
        (a, b) => a.accountIndex - b.accountIndex,
      ),
    );
    expect(value.postTokenBalances).toEqual(
      [balance(src, "750000", "0.75"), balance(dst, "250000", "0.25")].sort(
        (a, b) => a.accountIndex - b.accountIndex,
      ),
    );
  });

  it("quotes fees for a message and reports recent prioritization fees per slot", async () => {
    const recent = sandbox.chain.getBlock(sandbox.chain.getSlot("processed")).blockhash;
    const recipient = await generateKeyPairSigner();
    const message = Buffer.from(
      getCompiledTransactionMessageEncoder().encode(
        compileTransactionMessage(unsignedTransferMessage(recent, recipient.address)),
      ),
    ).toString("base64");
    const fee = await rawRpc(url, "getFeeForMessage", [message, { commitment: "processed" }]);
    expect(fee.body.result.value).toBe(5000);

    const { wire } = await signTransfer(payer, recipient.address, 1_000_000n, recent, 25_000n);
    await rawRpc(url, "sendTransaction", [
      wire,
      { encoding: "base64", preflightCommitment: "processed" },
    ]);
    const landedSlot = sandbox.chain.getSlot("processed");
    sandbox.chain.advance(1);
    const fees = await rawRpc(url, "getRecentPrioritizationFees", [[recipient.address]]);
    expect(fees.body.result).toEqual([{ slot: Number(landedSlot), prioritizationFee: 25_000 }]);
    const unrelated = await rawRpc(url, "getRecentPrioritizationFees", [
      [(await generateKeyPairSigner()).address],
    ]);
    expect(unrelated.body.result).toEqual([]);
    const tx = await rawRpc(url, "getSignaturesForAddress", [
      recipient.address,
      { commitment: "confirmed" },
    ]);
    const detail = await rawRpc(url, "getTransaction", [
      tx.body.result[0].signature,
      { commitment: "confirmed", maxSupportedTransactionVersion: 0 },
    ]);
    // 5,000 per signature + 25,000 µlamports × the default 3,000 CU for each of its two builtin instructions.
    expect(detail.body.result.meta.fee).toBe(5000 + Math.ceil((25_000 * 6_000) / 1_000_000));
    expect(detail.body.result.meta.preBalances[0] - detail.body.result.meta.postBalances[0]).toBe(
      1_000_000 + detail.body.result.meta.fee,
    );
  });

  it("encodes accounts as base58, base64 with dataSlice, and in batches", async () => {
    const holder = await generateKeyPairSigner();
    sandbox.chain.setAccount({
      address: holder.address,
      lamports: 1_000_000n,
      owner: payer.address,
      data: new Uint8Array([9, 8, 7, 6, 5]),
    });
    const sliced = await rawRpc(url, "getAccountInfo", [
      holder.address,
      { encoding: "base64", dataSlice: { offset: 1, length: 2 } },
    ]);
    expect(sliced.body.result.value.data).toEqual([
      Buffer.from([8, 7]).toString("base64"),
      "base64",
    ]);
    const base58 = await rawRpc(url, "getAccountInfo", [holder.address, { encoding: "base58" }]);
    expect(base58.body.result.value.data[1]).toBe("base58");
    const multiple = await rawRpc(url, "getMultipleAccounts", [
      [holder.address, (await generateKeyPairSigner()).address],
      { encoding: "base64" },
    ]);
    expect(multiple.body.result.value[0].lamports).toBe(1_000_000);
    expect(multiple.body.result.value[1]).toBeNull();
  });
});
