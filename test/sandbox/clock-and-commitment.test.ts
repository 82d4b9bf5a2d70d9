import { generateKeyPairSigner, type KeyPairSigner } from "@solana/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningSandbox } from "../../src/sandbox/index.js";
import { startFundedSandbox } from "./funded-sandbox.js";
import { rawRpc, signTransfer } from "./rpc-helpers.js";

let sandbox: RunningSandbox;
let url: string;
let payer: KeyPairSigner;

const tipBlockhash = async () =>
  (await rawRpc(url, "getLatestBlockhash", [{ commitment: "processed" }])).body.result.value as {
    blockhash: string;
    lastValidBlockHeight: number;
  };

beforeAll(async () => {
  ({ sandbox, url, payer } = await startFundedSandbox({ manualClock: true }, 100_000_000_000n));
});

afterAll(async () => {
  await sandbox.close();
});

describe("slot clock and blockhashes", () => {
  it("gives each slot a blockhash valid for 150 blocks, then rejects it like mainnet", async () => {
    const { blockhash, lastValidBlockHeight } = await tipBlockhash();
    const height = (await rawRpc(url, "getBlockHeight", [{ commitment: "processed" }])).body.result;
    expect(lastValidBlockHeight).toBe(height + 150);

    sandbox.chain.advance(150);
    expect((await rawRpc(url, "getBlockHeight", [{ commitment: "processed" }])).body.result).toBe(
      lastValidBlockHeight,
    );
    expect(
      (await rawRpc(url, "isBlockhashValid", [blockhash, { commitment: "processed" }])).body.result
        .value,
    ).toBe(true);
    expect((await tipBlockhash()).blockhash).not.toBe(blockhash);

    sandbox.chain.advance(1);
    expect(
      (await rawRpc(url, "isBlockhashValid", [blockhash, { commitment: "processed" }])).body.result
        .value,
    ).toBe(false);
    const recipient = await generateKeyPairSigner();
    const stale = await signTransfer(payer, recipient.address, 1_000_000n, blockhash);
    const rejected = await rawRpc(url, "sendTransaction", [
      stale.wire,
      { encoding: "base64", preflightCommitment: "processed" },
    ]);
    expect(rejected.body.error.code).toBe(-32002);
    expect(rejected.body.error.message).toBe("Transaction simulation failed: Blockhash not found");
    expect(rejected.body.error.data).toMatchObject({
      err: "BlockhashNotFound",
      logs: [],
      accounts: null,
      unitsConsumed: 0,
    });

    // With skipPreflight the node accepts it, and it simply never lands.
    const skipped = await rawRpc(url, "sendTransaction", [
      stale.wire,
      { encoding: "base64", skipPreflight: true },
    ]);
    expect(skipped.body.result).toBe(stale.signature);
    sandbox.chain.advance(2);
    const status = await rawRpc(url, "getSignatureStatuses", [
      [stale.signature],
      { searchTransactionHistory: true },
    ]);
    expect(status.body.result.value).toEqual([null]);
    expect((await rawRpc(url, "getBalance", [recipient.address])).body.result.value).toBe(0);
  });

  it("serves older blockhashes and slots at confirmed and finalized", async () => {
    sandbox.chain.advance(40);
    const tip = sandbox.chain.getSlot("processed");
    const slots = await Promise.all(
      ["processed", "confirmed", "finalized"].map(
        async (commitment) => (await rawRpc(url, "getSlot", [{ commitment }])).body.result,
      ),
    );
    expect(slots.map(BigInt)).toEqual([tip, tip - 1n, tip - 32n]);
    const confirmed = await rawRpc(url, "getLatestBlockhash", [{ commitment: "confirmed" }]);
    expect(confirmed.body.result.context.slot).toBe(Number(tip - 1n));
    expect(confirmed.body.result.value.blockhash).toBe(sandbox.chain.getBlock(tip - 1n).blockhash);
    const finalized = await rawRpc(url, "getLatestBlockhash", []);
    expect(finalized.body.result.value.blockhash).toBe(sandbox.chain.getBlock(tip - 32n).blockhash);
    const balance = await rawRpc(url, "getBalance", [payer.address, { commitment: "confirmed" }]);
    expect(balance.body.result.context).toEqual({ slot: Number(tip - 1n), apiVersion: "2.2.0" });
    const tooNew = await rawRpc(url, "getBalance", [
      payer.address,
      { minContextSlot: Number(tip + 5n) },
    ]);
    expect(tooNew.body.error.code).toBe(-32016);
  });
});

describe("commitment progression", () => {
  it("is processed in its slot, confirmed one slot later, finalized 32 slots later", async () => {
    const recipient = await generateKeyPairSigner();
    const balances = async () => {
      const at = async (commitment: string) =>
        (await rawRpc(url, "getBalance", [recipient.address, { commitment }])).body.result.value;
      const info = await rawRpc(url, "getAccountInfo", [
        recipient.address,
        { commitment: "confirmed", encoding: "base64" },
      ]);
      return {
        processed: await at("processed"),
        confirmed: await at("confirmed"),
        finalized: await at("finalized"),
        confirmedInfo: info.body.result.value?.lamports ?? null,
      };
    };
    const { wire, signature } = await signTransfer(
      payer,
      recipient.address,
      2_000_000n,
      (await tipBlockhash()).blockhash,
    );
    const sent = await rawRpc(url, "sendTransaction", [
      wire,
      { encoding: "base64", preflightCommitment: "processed" },
    ]);
    expect(sent.body.result).toBe(signature);
    const landed = sandbox.chain.getSlot("processed");
    const statusOf = async (search = false) =>
      (
        await rawRpc(url, "getSignatureStatuses", [
          [signature],
          { searchTransactionHistory: search },
        ])
      ).body.result.value[0];

    expect(await statusOf()).toEqual({
      slot: Number(landed),
      confirmations: 0,
      err: null,
      status: { Ok: null },
      confirmationStatus: "processed",
    });
    expect(
      (
        await rawRpc(url, "getTransaction", [
          signature,
          { commitment: "confirmed", maxSupportedTransactionVersion: 0 },
        ])
      ).body.result,
    ).toBeNull();
    const processedOnly = await rawRpc(url, "getTransaction", [
      signature,
      { commitment: "processed" },
    ]);
    expect(processedOnly.body.error.code).toBe(-32602);
    // Accounts follow the commitment too: confirmed and finalized reads see the slot they read at.
    expect(await balances()).toEqual({
      processed: 2_000_000,
      confirmed: 0,
      finalized: 0,
      confirmedInfo: null,
    });

    sandbox.chain.advance(1);
    expect(await statusOf()).toMatchObject({ confirmations: 1, confirmationStatus: "confirmed" });
    expect(await balances()).toEqual({
      processed: 2_000_000,
      confirmed: 2_000_000,
      finalized: 0,
      confirmedInfo: 2_000_000,
    });
    const confirmedTx = await rawRpc(url, "getTransaction", [
      signature,
      { commitment: "confirmed", maxSupportedTransactionVersion: 0 },
    ]);
    expect(confirmedTx.body.result.slot).toBe(Number(landed));
    expect(
      (await rawRpc(url, "getTransaction", [signature, { maxSupportedTransactionVersion: 0 }])).body
        .result,
    ).toBeNull();

    sandbox.chain.advance(30);
    expect(await statusOf()).toMatchObject({ confirmations: 31, confirmationStatus: "confirmed" });
    expect((await balances()).finalized).toBe(0);
    sandbox.chain.advance(1);
    expect(await statusOf()).toMatchObject({
      confirmations: null,
      confirmationStatus: "finalized",
    });
    expect((await balances()).finalized).toBe(2_000_000);
    const finalTx = await rawRpc(url, "getTransaction", [
      signature,
      { maxSupportedTransactionVersion: 0 },
    ]);
    expect(finalTx.body.result.meta.postBalances[1]).toBe(2_000_000);

    const unversioned = await rawRpc(url, "getTransaction", [signature]);
    expect(unversioned.body.error.code).toBe(-32015);
    const history = await rawRpc(url, "getSignaturesForAddress", [recipient.address]);
    expect(history.body.result).toEqual([
      expect.objectContaining({
        signature,
        slot: Number(landed),
        err: null,
        confirmationStatus: "finalized",
      }),
    ]);

    // Mainnet's status cache is short: old signatures need searchTransactionHistory.
    sandbox.chain.advance(300);
    expect(await statusOf()).toBeNull();
    expect(await statusOf(true)).toMatchObject({
      confirmationStatus: "finalized",
      confirmations: null,
    });
  });

  it("records a failed transaction with its error and logs, and refuses it in preflight", async () => {
    const poor = await generateKeyPairSigner();
    sandbox.chain.airdrop(poor.address, 10_000_000n);
    const { blockhash } = await tipBlockhash();
    const { wire, signature } = await signTransfer(poor, payer.address, 50_000_000n, blockhash);

    const preflight = await rawRpc(url, "sendTransaction", [
      wire,
      { encoding: "base64", preflightCommitment: "processed" },
    ]);
    expect(preflight.body.error.code).toBe(-32002);
    expect(preflight.body.error.message).toBe(
      "Transaction simulation failed: Error processing Instruction 0: custom program error: 0x1",
    );
    expect(preflight.body.error.data.err).toEqual({ InstructionError: [0, { Custom: 1 }] });
    expect(preflight.body.error.data.logs).toContain(
      "Transfer: insufficient lamports 9995000, need 50000000",
    );
    expect(preflight.body.error.data.unitsConsumed).toBeGreaterThan(0);

    const sent = await rawRpc(url, "sendTransaction", [
      wire,
      { encoding: "base64", skipPreflight: true },
    ]);
    expect(sent.body.result).toBe(signature);
    sandbox.chain.advance(1);
    const tx = await rawRpc(url, "getTransaction", [
      signature,
      { commitment: "confirmed", maxSupportedTransactionVersion: 0 },
    ]);
    expect(tx.body.result.meta.err).toEqual({ InstructionError: [0, { Custom: 1 }] });
    expect(tx.body.result.meta.status).toEqual({ Err: { InstructionError: [0, { Custom: 1 }] } });
    expect(tx.body.result.meta.logMessages.at(-1)).toBe(
      "Program 11111111111111111111111111111111 failed: custom program error: 0x1",
    );
    expect(tx.body.result.meta.fee).toBe(5000);
    expect(tx.body.result.meta.postBalances[0]).toBe(10_000_000 - 5000);
    const status = await rawRpc(url, "getSignatureStatuses", [[signature]]);
    expect(status.body.result.value[0].err).toEqual({ InstructionError: [0, { Custom: 1 }] });
  });
});
