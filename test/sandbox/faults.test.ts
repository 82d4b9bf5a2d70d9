import { connect } from "node:net";
import { generateKeyPairSigner, type KeyPairSigner } from "@solana/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSeededRandom, type RunningSandbox, startSandbox } from "../../src/sandbox/index.js";
import { getProcessedBlockhash, postJson, rawRpc, signTransfer } from "./rpc-helpers.js";

// A frozen wall clock keeps the rate limiter's one-second window deterministic.
const FROZEN_NOW = 1_700_000_000_000;
let sandbox: RunningSandbox;
let payer: KeyPairSigner;
const urlOf = (i: number) => sandbox.rpcUrls[i] as string;

beforeAll(async () => {
  sandbox = await startSandbox({
    port: 0,
    endpoints: 3,
    manualClock: true,
    random: createSeededRandom(7),
    now: () => FROZEN_NOW,
    faults: [{}, { dropSendRate: 1 }, { rateLimit: 2 }],
  });
  payer = await generateKeyPairSigner();
  sandbox.chain.airdrop(payer.address, 10_000_000_000n);
});

afterAll(async () => {
  await sandbox.close();
});

/** The error code of a fresh TCP connection attempt (null when it connects). */
function connectError(url: string): Promise<string | null> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once("connect", () => {
      socket.destroy();
      resolve(null);
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "unknown"));
  });
}

const blockhashOf = getProcessedBlockhash;

describe("per-endpoint faults over one ledger", () => {
  it("serves the same ledger on every endpoint", async () => {
    const balances = await Promise.all(
      [0, 1].map((i) => rawRpc(urlOf(i), "getBalance", [payer.address])),
    );
    expect(balances.map((r) => r.body.result.value)).toEqual([10_000_000_000, 10_000_000_000]);
  });

  it("answers a dropped send with the right signature but never lands it", async () => {
    const recipient = await generateKeyPairSigner();
    const { wire, signature } = await signTransfer(
      payer,
      recipient.address,
      1_000_000n,
      await blockhashOf(urlOf(0)),
    );
    const sent = await rawRpc(urlOf(1), "sendTransaction", [
      wire,
      { encoding: "base64", preflightCommitment: "processed" },
    ]);
    expect(sent.body.result).toBe(signature);
    sandbox.chain.advance(40);
    const status = await rawRpc(urlOf(0), "getSignatureStatuses", [
      [signature],
      { searchTransactionHistory: true },
    ]);
    expect(status.body.result.value).toEqual([null]);
    const balance = async () =>
      (await rawRpc(urlOf(0), "getBalance", [recipient.address, { commitment: "processed" }])).body
        .result.value;
    expect(await balance()).toBe(0);
    // The same bytes through a healthy endpoint land.
    await rawRpc(urlOf(0), "sendTransaction", [
      wire,
      { encoding: "base64", preflightCommitment: "processed" },
    ]);
    expect(await balance()).toBe(1_000_000);
  });

  it("answers 429 with Retry-After above the rate limit", async () => {
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await rawRpc(urlOf(2), "getHealth"));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 429]);
    expect(Number(answers[2]?.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(answers[2]?.body.error.code).toBe(429);
  });

  it("answers 503 at the configured error rate", async () => {
    await sandbox.setFaults(2, { rateLimit: null, errorRate: 1 });
    expect((await rawRpc(urlOf(2), "getSlot")).status).toBe(503);
    await sandbox.setFaults(2, { errorRate: 0 });
    expect((await rawRpc(urlOf(2), "getSlot")).status).toBe(200);
  });

  it("lags a stale endpoint's slot, blockhash and statuses", async () => {
    await sandbox.setFaults(2, { lagSlots: 5 });
    const tip = sandbox.chain.getSlot("processed");
    expect((await rawRpc(urlOf(2), "getSlot", [{ commitment: "processed" }])).body.result).toBe(
      Number(tip - 5n),
    );
    expect(await blockhashOf(urlOf(2))).toBe(sandbox.chain.getBlock(tip - 5n).blockhash);
    const recipient = await generateKeyPairSigner();
    const { wire, signature } = await signTransfer(
      payer,
      recipient.address,
      1_000_000n,
      await blockhashOf(urlOf(0)),
    );
    await rawRpc(urlOf(0), "sendTransaction", [wire, { encoding: "base64", skipPreflight: true }]);
    expect(
      (await rawRpc(urlOf(2), "getSignatureStatuses", [[signature]])).body.result.value,
    ).toEqual([null]);
    sandbox.chain.advance(5);
    const status = await rawRpc(urlOf(2), "getSignatureStatuses", [[signature]]);
    expect(status.body.result.value[0]).toMatchObject({
      confirmationStatus: "processed",
      confirmations: 0,
    });
    await sandbox.setFaults(2, { lagSlots: 0 });
  });

  it("refuses connections while down, while the others keep serving", async () => {
    await sandbox.setFaults(1, { down: true });
    expect(await connectError(urlOf(1))).toBe("ECONNREFUSED");
    expect(await connectError(sandbox.wsUrls[1] as string)).toBe("ECONNREFUSED");
    expect((await rawRpc(urlOf(0), "getHealth")).body.result).toBe("ok");
    // The admin route lives on every endpoint, so a down endpoint 0 could be revived from another.
    const revived = await postJson(`${urlOf(0)}/sandbox/faults`, {
      endpoint: 1,
      profile: { down: false },
    });
    expect(revived.body.profile).toMatchObject({ down: false, dropSendRate: 1 });
    expect((await rawRpc(urlOf(1), "getHealth")).body.result).toBe("ok");
  });

  it("draws fault decisions from the injected random source", async () => {
    await sandbox.setFaults(1, { dropSendRate: 0, errorRate: 0.5 });
    const statuses = [];
    for (let i = 0; i < 20; i++) statuses.push((await rawRpc(urlOf(1), "getHealth")).status);
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0);
    await sandbox.setFaults(1, { errorRate: 0 });
  });
});
