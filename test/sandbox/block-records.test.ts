import { generateKeyPairSigner, type KeyPairSigner } from "@solana/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type BlockRecord,
  createSandboxChain,
  type RunningSandbox,
  type TransactionRecord,
} from "../../src/sandbox/index.js";
import { startFundedSandbox } from "./funded-sandbox.js";
import { getProcessedBlockhash, postJson, rawRpc, signTransfer } from "./rpc-helpers.js";

let sandbox: RunningSandbox;
let url: string;
let payer: KeyPairSigner;

const latestBlockhash = () => getProcessedBlockhash(url);
const nextTick = () => new Promise((resolve) => setImmediate(resolve));
const call = (id: number, method: string, params: unknown[]) => ({
  jsonrpc: "2.0",
  id,
  method,
  params,
});

beforeAll(async () => {
  ({ sandbox, url, payer } = await startFundedSandbox(
    { manualClock: true, blockRetention: 50 },
    100_000_000_000n,
  ));
});

afterAll(async () => {
  await sandbox.close();
});

describe("sent transactions are published after the response, in the slot being built", () => {
  it("answers the signature before the status exists, then processes it in the same slot", async () => {
    const recipient = await generateKeyPairSigner();
    const transfer = await signTransfer(
      payer,
      recipient.address,
      1_000_000n,
      await latestBlockhash(),
    );
    const published: TransactionRecord[] = [];
    const off = sandbox.chain.onTransaction((record) => published.push(record));
    const slot = sandbox.chain.getSlot("processed");
    // One batch: the status is read in the same tick as the send.
    const { body } = await postJson(url, [
      call(1, "sendTransaction", [
        transfer.wire,
        { encoding: "base64", preflightCommitment: "processed" },
      ]),
      call(2, "getSignatureStatuses", [[transfer.signature]]),
      call(3, "getTransaction", [transfer.signature, { commitment: "confirmed" }]),
    ]);
    expect(body[0].result).toBe(transfer.signature);
    expect(body[1].result.value).toEqual([null]);
    expect(body[2].result).toBeNull();
    await nextTick();
    off();
    expect(published.map((r) => r.signature)).toEqual([transfer.signature]);
    const status = (await rawRpc(url, "getSignatureStatuses", [[transfer.signature]])).body.result
      .value[0];
    expect(status).toMatchObject({
      slot: Number(slot),
      confirmationStatus: "processed",
      err: null,
    });
  });

  it("executes a skipPreflight send when its slot ends, and drops a pending duplicate", async () => {
    const recipient = await generateKeyPairSigner();
    const transfer = await signTransfer(
      payer,
      recipient.address,
      3_000_000n,
      await latestBlockhash(),
    );
    const send = (skipPreflight: boolean) =>
      call(1, "sendTransaction", [
        transfer.wire,
        { encoding: "base64", skipPreflight, preflightCommitment: "processed" },
      ]);
    const { body } = await postJson(url, [
      send(true),
      call(2, "getBalance", [recipient.address, { commitment: "processed" }]),
      send(false),
    ]);
    expect(body[0].result).toBe(transfer.signature);
    expect(body[1].result.value).toBe(0);
    // Pending counts as processed for duplicate detection, as a validator's status cache does.
    expect(body[2].error.data.err).toBe("AlreadyProcessed");
    const balance = async () =>
      (await rawRpc(url, "getBalance", [recipient.address, { commitment: "processed" }])).body
        .result.value;
    // Not on the next tick: a leader includes it in the block it is building, seen when it ends.
    await nextTick();
    expect(await balance()).toBe(0);
    expect(sandbox.chain.getTransaction(transfer.signature)).toBeUndefined();
    const slot = sandbox.chain.getSlot("processed");
    sandbox.chain.advance(1);
    expect(await balance()).toBe(3_000_000);
    expect(sandbox.chain.getTransaction(transfer.signature)?.meta.err).toBeNull();
    expect(sandbox.chain.getTransaction(transfer.signature)?.slot).toBe(slot);
  });
});

describe("block records", () => {
  it("seals the genesis block at start, so every commitment level reads a sealed block", () => {
    // A fresh chain with a held clock: nothing but its creation has happened.
    const fresh = createSandboxChain({ manualClock: true, startSlot: 500n });
    try {
      expect(fresh.getSlot("processed")).toBe(501n);
      for (const commitment of ["confirmed", "finalized"] as const) {
        const at = fresh.getSlot(commitment);
        expect(at).toBe(500n);
        expect(fresh.getBlockRecord(at)?.transactions).toEqual([]);
      }
      expect(fresh.getBlockRecord(501n)).toBeUndefined();
    } finally {
      fresh.close();
    }
  });

  it("seals each slot at its end with its transactions in order, parent and time", async () => {
    const sealed: BlockRecord[] = [];
    sandbox.chain.advance(1);
    const off = sandbox.chain.onBlock((block) => sealed.push(block));
    const slot = sandbox.chain.getSlot("processed");
    const blockhash = await latestBlockhash();
    const recipient = await generateKeyPairSigner();
    const first = await signTransfer(payer, recipient.address, 1_000_000n, blockhash);
    const second = await signTransfer(payer, recipient.address, 2_000_000n, blockhash);
    const sent = await postJson(url, [
      call(1, "sendTransaction", [first.wire, { encoding: "base64", skipPreflight: true }]),
      call(2, "sendTransaction", [
        second.wire,
        { encoding: "base64", preflightCommitment: "processed" },
      ]),
    ]);
    expect(sent.body.map((r: { result: string }) => r.result)).toEqual([
      first.signature,
      second.signature,
    ]);
    // Not sealed while its slot is being built, even with the transactions published.
    await nextTick();
    expect(sandbox.chain.getBlockRecord(slot)).toBeUndefined();
    sandbox.chain.advance(1);
    off();
    expect(sealed.map((b) => b.slot)).toEqual([slot]);
    const block = sandbox.chain.getBlockRecord(slot) as BlockRecord;
    expect(block).toBe(sealed[0]);
    // The preflight send ran at receipt; the one without preflight as the slot ended.
    expect(block.transactions.map((t) => t.signature)).toEqual([second.signature, first.signature]);
    expect(block.blockhash).toBe(blockhash);
    expect(block.parentSlot).toBe(slot - 1n);
    expect(block.previousBlockhash).toBe(sandbox.chain.getBlockRecord(slot - 1n)?.blockhash);
    expect(block.blockHeight).toBe(sandbox.chain.getBlock(slot).blockHeight);
    expect(block.blockTime).toBe(sandbox.chain.getBlock(slot).blockTime);
    expect(sandbox.chain.getBlockSlots(slot - 1n, slot + 5n)).toEqual([slot - 1n, slot]);
  });

  it("keeps a bounded history, reported by firstAvailableBlock, and forgets pruned transactions", async () => {
    const recipient = await generateKeyPairSigner();
    const transfer = await signTransfer(
      payer,
      recipient.address,
      5_000_000n,
      await latestBlockhash(),
    );
    await rawRpc(url, "sendTransaction", [
      transfer.wire,
      { encoding: "base64", preflightCommitment: "processed" },
    ]);
    await nextTick();
    const landed = sandbox.chain.getTransaction(transfer.signature) as TransactionRecord;
    expect(landed).toBeDefined();
    sandbox.chain.advance(60);
    const tip = sandbox.chain.getSlot("processed");
    expect(sandbox.chain.firstAvailableBlock).toBe(tip - 50n);
    expect(sandbox.chain.getBlockSlots(0n, tip)).toHaveLength(50);
    expect(sandbox.chain.getBlockRecord(landed.slot)).toBeUndefined();
    expect(sandbox.chain.getTransaction(transfer.signature)).toBeUndefined();
    expect(sandbox.chain.getTransactionsForAddress(recipient.address)).toEqual([]);
  });
});

describe("context slots", () => {
  it("lets a read at a commitment use the slot a status reported at it as minContextSlot", async () => {
    const recipient = await generateKeyPairSigner();
    const transfer = await signTransfer(
      payer,
      recipient.address,
      7_000_000n,
      await latestBlockhash(),
    );
    await rawRpc(url, "sendTransaction", [
      transfer.wire,
      { encoding: "base64", preflightCommitment: "processed" },
    ]);
    await nextTick();
    for (const commitment of ["processed", "confirmed", "finalized"] as const) {
      const status = (await rawRpc(url, "getSignatureStatuses", [[transfer.signature]])).body.result
        .value[0];
      if (status.confirmationStatus !== commitment) {
        sandbox.chain.advance(commitment === "confirmed" ? 1 : 31);
        continue;
      }
      const read = await rawRpc(url, "getBalance", [
        recipient.address,
        { commitment, minContextSlot: status.slot },
      ]);
      expect(read.body.result.value).toBe(7_000_000);
      sandbox.chain.advance(commitment === "processed" ? 1 : 31);
    }
    const tip = Number(sandbox.chain.getSlot("processed"));
    const tooSoon = await rawRpc(url, "getBalance", [
      recipient.address,
      { commitment: "confirmed", minContextSlot: tip },
    ]);
    expect(tooSoon.body.error).toMatchObject({
      code: -32016,
      message: "Minimum context slot has not been reached",
    });
  });
});
