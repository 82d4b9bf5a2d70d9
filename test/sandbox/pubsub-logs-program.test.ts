import { generateKeyPairSigner, type KeyPairSigner } from "@solana/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningSandbox } from "../../src/sandbox/index.js";
import { startFundedSandbox } from "./funded-sandbox.js";
import { openPubSub, settle } from "./pubsub-socket.js";
import { rawRpc, signTransferAtLatest } from "./rpc-helpers.js";

const SYSTEM = "11111111111111111111111111111111";
const TRANSFER_LOGS = [`Program ${SYSTEM} invoke [1]`, `Program ${SYSTEM} success`];

let sandbox: RunningSandbox;
let url: string;
let wsUrl: string;
let payer: KeyPairSigner;
let pubsub: Awaited<ReturnType<typeof openPubSub>>;

beforeAll(async () => {
  ({ sandbox, url, payer } = await startFundedSandbox({ manualClock: true }));
  wsUrl = sandbox.wsUrls[0] as string;
  // Past the first 32 slots, where the finalized slot stays at the first one.
  sandbox.chain.advance(40);
  pubsub = await openPubSub(wsUrl);
});

afterAll(async () => {
  pubsub.close();
  await sandbox.close();
});

async function sendTransfer(from: KeyPairSigner, to: string, amount: bigint) {
  const { wire, signature } = await signTransferAtLatest(url, from, to, amount);
  const sent = await rawRpc(url, "sendTransaction", [
    wire,
    { encoding: "base64", skipPreflight: true },
  ]);
  expect(sent.body.result).toBe(signature);
  return signature;
}

describe("logsSubscribe", () => {
  it("notifies every transaction's logs with filter all, failed ones too", async () => {
    const id = await pubsub.subscribe("logsSubscribe", ["all", { commitment: "processed" }]);
    const recipient = await generateKeyPairSigner();
    const signature = await sendTransfer(payer, recipient.address, 1_000_000n);
    sandbox.chain.advance(1); // sent without preflight: lands as the slot ends
    const [note] = await pubsub.waitFor(id);
    expect(note).toEqual({
      jsonrpc: "2.0",
      method: "logsNotification",
      params: {
        result: {
          context: { slot: Number(sandbox.chain.getTransaction(signature)?.slot) },
          value: { signature, err: null, logs: TRANSFER_LOGS },
        },
        subscription: id,
      },
    });

    // A poor account transferring more than it has: the fee is taken, the transfer fails.
    const poor = await generateKeyPairSigner();
    sandbox.chain.airdrop(poor.address, 1_000_000n);
    const failed = await sendTransfer(poor, recipient.address, 5_000_000n);
    sandbox.chain.advance(1); // sent without preflight: lands as the slot ends
    const notes = await pubsub.waitFor(id, 3);
    const failure = notes.find((n) => n.params.result.value.signature === failed);
    expect(failure.params.result.value.err).toEqual({ InstructionError: [0, { Custom: 1 }] });
    expect(failure.params.result.value.logs).toEqual([
      `Program ${SYSTEM} invoke [1]`,
      "Transfer: insufficient lamports 995000, need 5000000",
      `Program ${SYSTEM} failed: custom program error: 0x1`,
    ]);
    expect(await pubsub.request("logsUnsubscribe", [id])).toEqual({
      jsonrpc: "2.0",
      result: true,
      id: expect.any(Number),
    });
  });

  it("notifies a mentioned address at confirmed once its slot is confirmed", async () => {
    const watched = await generateKeyPairSigner();
    const other = await generateKeyPairSigner();
    const id = await pubsub.subscribe("logsSubscribe", [
      { mentions: [watched.address] },
      { commitment: "confirmed" },
    ]);
    await sendTransfer(payer, other.address, 1_000_000n);
    const signature = await sendTransfer(payer, watched.address, 2_000_000n);
    await settle();
    expect(pubsub.of(id)).toEqual([]);
    sandbox.chain.advance(1);
    const notes = await pubsub.waitFor(id);
    await settle();
    expect(pubsub.of(id)).toHaveLength(1);
    expect(notes[0].params.result.value).toEqual({ signature, err: null, logs: TRANSFER_LOGS });
    // A confirmed read with the notification's slot as minContextSlot succeeds.
    const slot = notes[0].params.result.context.slot;
    expect(slot).toBe(Number(sandbox.chain.getSlot("confirmed")));
    const read = await rawRpc(url, "getBalance", [
      watched.address,
      { commitment: "confirmed", minContextSlot: slot },
    ]);
    expect(read.body.result.value).toBe(2_000_000);
    await pubsub.request("logsUnsubscribe", [id]);
  });

  it("words bad params as agave does", async () => {
    const a = (await generateKeyPairSigner()).address;
    const b = (await generateKeyPairSigner()).address;
    const error = async (method: string, params: unknown[]) =>
      (await pubsub.request(method, params)).error;
    expect(await error("logsSubscribe", [{ mentions: [a, b] }])).toEqual({
      code: -32602,
      message: "Invalid Request: Only 1 address supported",
    });
    expect(await error("logsSubscribe", [{ mentions: ["not-an-address"] }])).toEqual({
      code: -32602,
      message: "Invalid Request: Invalid mentions provided",
    });
    expect(await error("logsSubscribe", ["everything"])).toEqual({
      code: -32602,
      message:
        "Invalid params: unknown variant `everything`, expected one of `all`, `allWithVotes`, `mentions`.",
    });
    expect(await error("programSubscribe", ["nope"])).toEqual({
      code: -32602,
      message: "Invalid Request: Invalid pubkey provided",
    });
    const filters = Array.from({ length: 5 }, () => ({ dataSize: 0 }));
    expect(await error("programSubscribe", [SYSTEM, { filters }])).toEqual({
      code: -32602,
      message: "Invalid params: Too many filters provided; max 4",
    });
    expect(await error("accountSubscribe", ["nope"])).toEqual({
      code: -32602,
      message: "Invalid Request: Invalid pubkey provided",
    });
    expect(await error("signatureSubscribe", ["nope"])).toEqual({
      code: -32602,
      message: "Invalid Request: Invalid signature provided",
    });
    expect(await error("programUnsubscribe", [987654])).toEqual({
      code: -32602,
      message: "Invalid subscription id.",
    });
    expect(await error("blockSubscribe", ["all"])).toEqual({
      code: -32601,
      message: "Method not found",
    });
    expect(await pubsub.sendRaw("{")).toEqual({
      jsonrpc: "2.0",
      error: { code: -32700, message: "Parse error" },
      id: null,
    });
  });

  it("answers a batch of calls with an array, as jsonrpc_core does", async () => {
    const batch = await pubsub.sendRaw(
      JSON.stringify([
        { jsonrpc: "2.0", id: 10, method: "logsSubscribe", params: ["allWithVotes"] },
        { jsonrpc: "2.0", id: 11, method: "logsUnsubscribe", params: [123456] },
      ]),
    );
    expect(batch).toEqual([
      { jsonrpc: "2.0", result: expect.any(Number), id: 10 },
      { jsonrpc: "2.0", error: { code: -32602, message: "Invalid subscription id." }, id: 11 },
    ]);
    expect((await pubsub.request("logsUnsubscribe", [batch[0].result])).result).toBe(true);
  });
});

describe("programSubscribe", () => {
  it("notifies each written account the program owns, through its filters", async () => {
    const empty = await pubsub.subscribe("programSubscribe", [
      SYSTEM,
      { commitment: "processed", encoding: "base64", filters: [{ dataSize: 0 }] },
    ]);
    const sized = await pubsub.subscribe("programSubscribe", [
      SYSTEM,
      { commitment: "processed", encoding: "base64", filters: [{ dataSize: 1 }] },
    ]);
    const recipient = await generateKeyPairSigner();
    const signature = await sendTransfer(payer, recipient.address, 3_000_000n);
    sandbox.chain.advance(1); // sent without preflight: lands as the slot ends
    const notes = await pubsub.waitFor(empty, 2);
    const slot = Number(sandbox.chain.getTransaction(signature)?.slot);
    const byKey = new Map(notes.map((n) => [n.params.result.value.pubkey, n.params.result]));
    expect(byKey.get(recipient.address)).toEqual({
      context: { slot },
      value: {
        pubkey: recipient.address,
        account: {
          data: ["", "base64"],
          executable: false,
          lamports: 3_000_000,
          owner: SYSTEM,
          rentEpoch: 18446744073709552000,
          space: 0,
        },
      },
    });
    expect(byKey.get(payer.address)?.value.account.lamports).toBe(
      Number(sandbox.chain.getAccount(payer.address)?.lamports),
    );
    await settle();
    expect(pubsub.of(sized)).toEqual([]);
    for (const id of [empty, sized]) {
      expect((await pubsub.request("programUnsubscribe", [id])).result).toBe(true);
    }
    expect((await pubsub.request("programUnsubscribe", [empty])).error.message).toBe(
      "Invalid subscription id.",
    );
  });

  it("defaults to agave's legacy binary encoding and finalized commitment", async () => {
    const id = await pubsub.subscribe("programSubscribe", [SYSTEM]);
    const recipient = await generateKeyPairSigner();
    const forRecipient = () =>
      pubsub.of(id).filter((n) => n.params.result.value.pubkey === recipient.address);
    await sendTransfer(payer, recipient.address, 4_000_000n);
    sandbox.chain.advance(31);
    await settle();
    expect(forRecipient()).toEqual([]);
    sandbox.chain.advance(1);
    await settle();
    const [note, ...more] = forRecipient();
    expect(more).toEqual([]);
    expect(note.params.result.value.account.data).toBe("");
    expect(note.params.result.value.account.lamports).toBe(4_000_000);
    expect(note.params.result.context.slot).toBe(Number(sandbox.chain.getSlot("finalized")));
    await pubsub.request("programUnsubscribe", [id]);
  });
});

describe("encodings", () => {
  it("jsonParsed falls back to base64 for unparseable data; base64+zstd is annotated", async () => {
    const parsed = await pubsub.subscribe("programSubscribe", [
      SYSTEM,
      { commitment: "processed", encoding: "jsonParsed" },
    ]);
    const recipient = await generateKeyPairSigner();
    const zstd = await pubsub.subscribe("accountSubscribe", [
      recipient.address,
      { commitment: "processed", encoding: "base64+zstd" },
    ]);
    await sendTransfer(payer, recipient.address, 5_000_000n);
    sandbox.chain.advance(1); // sent without preflight: lands as the slot ends
    const notes = await pubsub.waitFor(parsed, 2);
    const mine = notes.find((n) => n.params.result.value.pubkey === recipient.address);
    expect(mine.params.result.value.account.data).toEqual(["", "base64"]);
    const [account] = await pubsub.waitFor(zstd);
    expect(account.params.result.value.lamports).toBe(5_000_000);
    expect(account.params.result.value.data[1]).toBe("base64+zstd");
    await pubsub.request("programUnsubscribe", [parsed]);
    await pubsub.request("accountUnsubscribe", [zstd]);
  });
});

describe("rootSubscribe", () => {
  it("notifies each new root once the finalized slot moves", async () => {
    const id = await pubsub.subscribe("rootSubscribe");
    const before = sandbox.chain.getSlot("finalized");
    sandbox.chain.advance(3);
    const notes = await pubsub.waitFor(id, 3);
    expect(notes.map((n) => n.params.result)).toEqual([1n, 2n, 3n].map((d) => Number(before + d)));
    expect((await pubsub.request("rootUnsubscribe", [id])).result).toBe(true);
    expect((await pubsub.request("rootUnsubscribe", [id])).error).toEqual({
      code: -32602,
      message: "Invalid subscription id.",
    });
  });

  it("reports a bank's life through slotsUpdatesSubscribe", async () => {
    const id = await pubsub.subscribe("slotsUpdatesSubscribe");
    const tip = sandbox.chain.getSlot("processed");
    sandbox.chain.advance(1);
    const notes = await pubsub.waitFor(id, 4);
    const types = notes.map((n) => [n.params.result.type, n.params.result.slot]);
    expect(types).toEqual([
      ["frozen", Number(tip)],
      ["createdBank", Number(tip + 1n)],
      ["optimisticConfirmation", Number(tip)],
      ["root", Number(sandbox.chain.getSlot("finalized"))],
    ]);
    expect(notes[0].params.result.stats).toEqual({
      numTransactionEntries: 0,
      numSuccessfulTransactions: 0,
      numFailedTransactions: 0,
      maxTransactionsPerEntry: 0,
    });
    await pubsub.request("slotsUpdatesUnsubscribe", [id]);
  });
});
