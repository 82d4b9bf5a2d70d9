import { createHash } from "node:crypto";
import { type Address, generateKeyPairSigner, type KeyPairSigner } from "@solana/kit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { bytesToBase58 } from "../../src/sandbox/encoding/base58.js";
import { createSeededRandom, type RunningSandbox, startSandbox } from "../../src/sandbox/index.js";
import { DONT_FRONT, postRpc, type SignedTx, signTx, transfer } from "./block-engine-helpers.js";

let sandbox: RunningSandbox;
let payer: KeyPairSigner;
let tipAccounts: Address[];
/** Congested sends waiting on the endpoint's (test-controlled) sleep. */
const sleeping: (() => void)[] = [];

const engine = () => sandbox.blockEngineUrl as string;
const bundles = () => `${engine()}/api/v1/bundles`;
const blockhash = () => sandbox.chain.getBlock(sandbox.chain.getSlot("processed")).blockhash;
const balance = (a: Address) => sandbox.chain.getAccount(a)?.lamports ?? 0n;
const tip = (lamports = 5_000n) => transfer(payer, tipAccounts[3] as Address, lamports);
const sendBundle = (txs: SignedTx[]) =>
  postRpc(bundles(), "sendBundle", [txs.map((t) => t.base58)]);
const landedSlot = (signature: string) => sandbox.chain.getTransaction(signature)?.slot;

async function sends(signature: string) {
  const response = await fetch(`${sandbox.adminUrl}/sends?signature=${signature}`);
  const body = (await response.json()) as {
    sends: { route: string; method: string; dropped: boolean }[];
  };
  return body.sends;
}

beforeAll(async () => {
  sandbox = await startSandbox({
    port: 0,
    endpoints: 2,
    manualClock: true,
    random: createSeededRandom(11),
    sleep: () => new Promise<void>((resolve) => sleeping.push(resolve)),
  });
  payer = await generateKeyPairSigner();
  sandbox.chain.airdrop(payer.address, 100_000_000_000n);
  const { body } = await postRpc(bundles(), "getTipAccounts");
  tipAccounts = body.result;
});

afterAll(async () => {
  await sandbox.close();
});

beforeEach(() => {
  sleeping.length = 0;
});

describe("tip accounts and the tip floor", () => {
  it("serves eight funded tip accounts on both of Jito's paths", async () => {
    expect(tipAccounts).toHaveLength(8);
    expect(new Set(tipAccounts).size).toBe(8);
    const other = await postRpc(`${engine()}/api/v1/getTipAccounts`, "getTipAccounts");
    expect(other.body.result).toEqual(tipAccounts);
    const rentExempt = sandbox.chain.minimumBalanceForRentExemption(0);
    for (const account of tipAccounts) expect(balance(account)).toBeGreaterThanOrEqual(rentExempt);
  });

  it("answers a default tip floor before any bundle landed", async () => {
    const response = await fetch(`${engine()}/api/v1/bundles/tip_floor`);
    const [floor] = (await response.json()) as Record<string, number | string>[];
    expect(floor).toMatchObject({
      landed_tips_25th_percentile: 0.000001,
      landed_tips_50th_percentile: 0.00001,
      ema_landed_tips_50th_percentile: 0.00001,
    });
    expect(typeof floor?.time).toBe("string");
  });
});

describe("sendBundle", () => {
  it("lands a tipped bundle atomically at the next block, in order, with Jito's statuses", async () => {
    const receiver = (await generateKeyPairSigner()).address;
    const first = await signTx(payer, [transfer(payer, receiver, 2_000_000n)], blockhash());
    const second = await signTx(
      payer,
      [transfer(payer, receiver, 3_000_000n), tip(7_000n)],
      blockhash(),
    );
    const sent = await sendBundle([first, second]);
    const id = createHash("sha256").update(`${first.signature},${second.signature}`).digest("hex");
    expect(sent.body).toEqual({ jsonrpc: "2.0", result: id, id: 1 });

    // Not landed yet: the bundle waits for the next block.
    expect(landedSlot(first.signature)).toBeUndefined();
    const pending = await postRpc(bundles(), "getInflightBundleStatuses", [[id]]);
    expect(pending.body.result.value).toEqual([
      { bundle_id: id, status: "Pending", landed_slot: null },
    ]);
    expect((await postRpc(bundles(), "getBundleStatuses", [[id]])).body.result.value).toEqual([
      null,
    ]);

    const before = sandbox.chain.getSlot("processed");
    sandbox.chain.advance(1);
    expect(landedSlot(first.signature)).toBe(before + 1n);
    expect(landedSlot(second.signature)).toBe(before + 1n);
    const order = sandbox.chain.getTransactionsInSlot(before + 1n).map((r) => r.signature);
    expect(order.indexOf(second.signature)).toBe(order.indexOf(first.signature) + 1);
    expect(balance(receiver)).toBe(5_000_000n);

    const inflight = await postRpc(bundles(), "getInflightBundleStatuses", [[id]]);
    expect(inflight.body.result.value).toEqual([
      { bundle_id: id, status: "Landed", landed_slot: Number(before + 1n) },
    ]);
    const statuses = await postRpc(bundles(), "getBundleStatuses", [[id]]);
    expect(statuses.body.result.value).toEqual([
      {
        bundle_id: id,
        transactions: [first.signature, second.signature],
        slot: Number(before + 1n),
        confirmation_status: "processed",
        err: { Ok: null },
      },
    ]);
    sandbox.chain.advance(1);
    const confirmed = await postRpc(bundles(), "getBundleStatuses", [[id]]);
    expect(confirmed.body.result.value[0].confirmation_status).toBe("confirmed");
  });

  it("lands none of a bundle whose second transaction fails", async () => {
    const receiver = (await generateKeyPairSigner()).address;
    const payerBefore = balance(payer.address);
    const good = await signTx(payer, [transfer(payer, receiver, 1_000_000n), tip()], blockhash());
    const broke = await generateKeyPairSigner();
    sandbox.chain.airdrop(broke.address, 10_000_000n);
    // Pays its fee but cannot cover the transfer: a committed instruction error on its own.
    const failing = await signTx(broke, [transfer(broke, receiver, 50_000_000n)], blockhash());
    const sent = await sendBundle([good, failing]);
    expect(sent.status).toBe(200);
    sandbox.chain.advance(1);
    expect(landedSlot(good.signature)).toBeUndefined();
    expect(landedSlot(failing.signature)).toBeUndefined();
    expect(balance(receiver)).toBe(0n);
    expect(balance(payer.address)).toBe(payerBefore);
    expect(balance(broke.address)).toBe(10_000_000n);
    const inflight = await postRpc(bundles(), "getInflightBundleStatuses", [[sent.body.result]]);
    expect(inflight.body.result.value[0]).toMatchObject({ status: "Failed", landed_slot: null });
  });

  it("refuses an untipped bundle as Jito does", async () => {
    const tx = await signTx(payer, [transfer(payer, notATipAccount(), 10_000n)], blockhash());
    const sent = await sendBundle([tx]);
    expect(sent.status).toBe(400);
    expect(sent.body.error).toEqual({
      code: -32602,
      message: "Bundles must write lock at least one tip account to be eligible for the auction.",
    });
    sandbox.chain.advance(1);
    expect(landedSlot(tx.signature)).toBeUndefined();
    expect(await sends(tx.signature)).toMatchObject([
      { route: "jito", method: "sendBundle", dropped: true },
    ]);
  });

  it("refuses a tip below 1,000 lamports", async () => {
    const tx = await signTx(payer, [tip(999n)], blockhash());
    const sent = await sendBundle([tx]);
    expect(sent.status).toBe(400);
    expect(sent.body.error.code).toBe(-32602);
    expect(sent.body.error.message).toContain("below the minimum tip of 1000 lamports");
  });

  it("refuses more than five transactions", async () => {
    const txs = await Promise.all(
      [1n, 2n, 3n, 4n, 5n, 6n].map((n) => signTx(payer, [tip(1_000n + n)], blockhash())),
    );
    const sent = await sendBundle(txs);
    expect(sent.status).toBe(400);
    expect(sent.body.error.message).toContain("exceeded maximum number of transactions");
  });

  it("keeps a jitodontfront transaction first: refused elsewhere, landed first", async () => {
    const receiver = (await generateKeyPairSigner()).address;
    const guarded = await signTx(
      payer,
      [transfer(payer, receiver, 1_000_000n, DONT_FRONT)],
      blockhash(),
    );
    const tipping = await signTx(payer, [tip()], blockhash());
    const misplaced = await sendBundle([tipping, guarded]);
    expect(misplaced.status).toBe(400);
    expect(misplaced.body.error.message).toContain("jitodontfront");

    const first = await sendBundle([guarded, tipping]);
    expect(first.status).toBe(200);
    sandbox.chain.advance(1);
    expect(landedSlot(guarded.signature)).toBeDefined();
    expect(balance(receiver)).toBe(1_000_000n);
  });
});

describe("sendTransaction (bundleOnly) and the sender", () => {
  it("lands a bundleOnly transaction as a bundle of one, with x-bundle-id", async () => {
    const tx = await signTx(payer, [tip(2_000n)], blockhash());
    const url = `${engine()}/api/v1/transactions?bundleOnly=true`;
    const sent = await postRpc(url, "sendTransaction", [tx.base64, { encoding: "base64" }]);
    expect(sent.body.result).toBe(tx.signature);
    expect(sent.headers.get("x-bundle-id")).toBe(
      createHash("sha256").update(tx.signature).digest("hex"),
    );
    sandbox.chain.advance(1);
    expect(landedSlot(tx.signature)).toBeDefined();

    const untipped = await signTx(payer, [transfer(payer, notATipAccount(), 5_000n)], blockhash());
    const refused = await postRpc(url, "sendTransaction", [untipped.base58]);
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe(-32602);
  });

  it("lands a tipped sendTransaction through the sender and refuses an untipped one", async () => {
    const sender = sandbox.senderUrl as string;
    const tx = await signTx(payer, [tip(3_000n)], blockhash());
    const sent = await postRpc(sender, "sendTransaction", [
      tx.base64,
      { encoding: "base64", skipPreflight: true },
    ]);
    expect(sent.body.result).toBe(tx.signature);
    sandbox.chain.advance(1);
    expect(landedSlot(tx.signature)).toBeDefined();
    expect(await sends(tx.signature)).toMatchObject([
      { route: "sender", method: "sendTransaction", dropped: false },
    ]);

    const untipped = await signTx(payer, [transfer(payer, notATipAccount(), 5_000n)], blockhash());
    const refused = await postRpc(sender, "sendTransaction", [
      untipped.base58,
      { skipPreflight: true },
    ]);
    expect(refused.status).toBe(400);
    const noSkip = await postRpc(sender, "sendTransaction", [tx.base58]);
    expect(noSkip.body.error.message).toContain("skipPreflight");
  });

  it("refuses a transaction whose signature does not verify", async () => {
    const tx = await signTx(payer, [tip()], blockhash());
    const bytes = Buffer.from(tx.base64, "base64");
    bytes[5] = (bytes[5] ?? 0) ^ 0xff;
    const url = `${engine()}/api/v1/transactions?bundleOnly=true`;
    const sent = await postRpc(url, "sendTransaction", [
      bytes.toString("base64"),
      { encoding: "base64" },
    ]);
    expect(sent.body.error).toEqual({
      code: -32003,
      message: "Transaction signature verification failure",
    });
    // The first signature is what was corrupted: the log names the transaction by it.
    const corrupted = await sends(bytesToBase58(bytes.subarray(1, 65)));
    expect(corrupted).toMatchObject([{ route: "jito", method: "sendTransaction", dropped: true }]);
  });
});

describe("congestion and the send log", () => {
  it("drops and delays public sends while the block engine lands", async () => {
    const admin = (body: unknown) =>
      fetch(`${sandbox.adminUrl}/faults`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      }).then(
        (r) => r.json() as Promise<{ profile: { dropSendRate: number; sendDelayMs: number } }>,
      );
    const dropping = await admin({
      endpoint: 0,
      preset: "congestion",
      profile: { dropSendRate: 1 },
    });
    expect(dropping.profile).toMatchObject({ dropSendRate: 1, sendDelayMs: 800 });
    const delaying = await admin({
      endpoint: 1,
      preset: "congestion",
      profile: { dropSendRate: 0 },
    });
    expect(delaying.profile).toMatchObject({ dropSendRate: 0, sendDelayMs: 800 });

    const receiver = (await generateKeyPairSigner()).address;
    const tx = await signTx(payer, [transfer(payer, receiver, 2_000_000n), tip()], blockhash());
    const skip = { encoding: "base64", skipPreflight: true };
    const rpc = sandbox.rpcUrls;
    expect(
      (await postRpc(rpc[0] as string, "sendTransaction", [tx.base64, skip])).body.result,
    ).toBe(tx.signature);
    expect(
      (await postRpc(rpc[1] as string, "sendTransaction", [tx.base64, skip])).body.result,
    ).toBe(tx.signature);
    sandbox.chain.advance(1);
    // Dropped on 0, still on its way on 1: nothing landed.
    expect(landedSlot(tx.signature)).toBeUndefined();
    expect(sleeping).toHaveLength(1);
    // The same bytes through the block engine land at the next block.
    expect((await sendBundle([tx])).status).toBe(200);
    sandbox.chain.advance(1);
    expect(landedSlot(tx.signature)).toBeDefined();
    expect(balance(receiver)).toBe(2_000_000n);

    expect(await sends(tx.signature)).toMatchObject([
      { route: "rpc:0", method: "sendTransaction", dropped: true },
      { route: "rpc:1", method: "sendTransaction", dropped: false },
      { route: "jito", method: "sendBundle", dropped: false },
    ]);

    // A delayed public send reaches the chain once its delay is over.
    const late = await signTx(payer, [transfer(payer, receiver, 1_000n)], blockhash());
    const preflight = { encoding: "base64", preflightCommitment: "processed" };
    const answered = await postRpc(rpc[1] as string, "sendTransaction", [late.base64, preflight]);
    expect(answered.body.result).toBe(late.signature);
    sandbox.chain.advance(1);
    expect(landedSlot(late.signature)).toBeUndefined();
    for (const wake of sleeping.splice(0)) wake();
    await new Promise((resolve) => setImmediate(resolve));
    sandbox.chain.advance(1);
    expect(landedSlot(late.signature)).toBeDefined();
    await admin({ endpoint: 0, preset: "healthy" });
    await admin({ endpoint: 1, preset: "healthy" });
  });

  it("refuses a faults change with neither a profile nor a preset, and an unknown preset", async () => {
    const post = (body: unknown) =>
      fetch(`${sandbox.adminUrl}/faults`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    for (const body of [{ endpoint: 0 }, { endpoint: 0, preset: "storm" }]) {
      const response = await post(body);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
        "INVALID_INPUT",
      );
    }
    expect(sandbox.getFaults(0)).toMatchObject({ dropSendRate: 0, sendDelayMs: 0 });
  });

  it("reports the tips it landed in the tip floor", async () => {
    const response = await fetch(`${engine()}/api/v1/bundles/tip_floor`);
    const [floor] = (await response.json()) as Record<string, number>[];
    // Landed so far: 7,000, 5,000 (guarded bundle), 2,000, 3,000, 5,000 (congestion test).
    expect(floor?.landed_tips_25th_percentile).toBe(0.000003);
    expect(floor?.landed_tips_50th_percentile).toBe(0.000005);
    expect(floor?.landed_tips_99th_percentile).toBe(0.000007);
  });
});

/** A fresh address that is no tip account (for untipped transfers). */
function notATipAccount(): Address {
  return sandbox.chain.faucetAddress;
}
