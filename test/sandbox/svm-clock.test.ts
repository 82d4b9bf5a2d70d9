import { getBase58Decoder } from "@solana/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSandbox, startSandbox } from "../../src/sandbox/index.js";
import { getProcessedBlockhash, rawRpc } from "./rpc-helpers.js";

const CLOCK = "SysvarC1ock11111111111111111111111111111111";
const SLOT_HASHES = "SysvarS1otHashes111111111111111111111111111";
const SLOT_HISTORY = "SysvarS1otHistory11111111111111111111111111";

let sandbox: RunningSandbox;
let url: string;
let nowMs = Date.UTC(2026, 0, 1);

const sysvar = async (address: string) => {
  const { body } = await rawRpc(url, "getAccountInfo", [
    address,
    { encoding: "base64", commitment: "processed" },
  ]);
  return Buffer.from(body.result.value.data[0], "base64");
};

const readClock = async () => {
  const data = await sysvar(CLOCK);
  return {
    slot: data.readBigUInt64LE(0),
    epochStartTimestamp: data.readBigInt64LE(8),
    epoch: data.readBigUInt64LE(16),
    leaderScheduleEpoch: data.readBigUInt64LE(24),
    unixTimestamp: data.readBigInt64LE(32),
  };
};

const readSlotHashes = async () => {
  const data = await sysvar(SLOT_HASHES);
  const count = Number(data.readBigUInt64LE(0));
  return Array.from({ length: count }, (_, i) => ({
    slot: data.readBigUInt64LE(8 + 40 * i),
    hash: getBase58Decoder().decode(data.subarray(16 + 40 * i, 48 + 40 * i)),
  }));
};

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, manualClock: true, now: () => nowMs });
  url = sandbox.rpcUrls[0] as string;
});

afterAll(async () => {
  await sandbox.close();
});

describe("LiteSVM's clock follows the sandbox's slots", () => {
  it("moves the Clock sysvar's slot and unix time with every slot", async () => {
    const start = await readClock();
    expect(start.slot).toBe(sandbox.chain.getSlot("processed"));
    expect(start.unixTimestamp).toBe(BigInt(Math.floor(nowMs / 1000)));
    expect(start.epoch).toBe(0n);
    expect(start.leaderScheduleEpoch).toBe(1n);
    nowMs += 2_000;
    sandbox.chain.advance(5);
    const later = await readClock();
    expect(later.slot).toBe(start.slot + 5n);
    expect(later.unixTimestamp).toBe(start.unixTimestamp + 2n);
    expect(later.epochStartTimestamp).toBe(start.epochStartTimestamp);
  });

  it("keeps SlotHashes as a validator does: the parents of the current slot, newest first, 512 at most", async () => {
    const tip = sandbox.chain.getSlot("processed");
    const hashes = await readSlotHashes();
    expect(hashes[0]?.slot).toBe(tip - 1n);
    expect(hashes.map((h) => h.slot)).toEqual(hashes.map((_, i) => tip - 1n - BigInt(i)));
    // Each entry is that slot's blockhash, the one getLatestBlockhash handed out then.
    expect(hashes[0]?.hash).toBe(sandbox.chain.getBlock(tip - 1n).blockhash);

    sandbox.chain.advance(600);
    const full = await readSlotHashes();
    expect(full).toHaveLength(512);
    expect(full[0]?.slot).toBe(tip + 599n);
    expect(full[511]?.slot).toBe(tip + 88n);
    const history = await sysvar(SLOT_HISTORY);
    expect(history.length).toBeGreaterThan(0);
  });

  it("hands out LiteSVM's blockhash, a new one every slot", async () => {
    const latest = () => getProcessedBlockhash(url);
    const before = await latest();
    sandbox.chain.advance(1);
    const after = await latest();
    expect(after).not.toBe(before);
    expect((await readSlotHashes())[0]?.hash).toBe(before);
  });

  it("advances thousands of slots quickly (SlotHashes is written only when read)", () => {
    const started = performance.now();
    sandbox.chain.advance(5_000);
    const perSlotMs = (performance.now() - started) / 5_000;
    expect(perSlotMs).toBeLessThan(0.3);
  });
});
