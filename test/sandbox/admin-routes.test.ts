import { generateKeyPairSigner } from "@solana/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSandbox, startSandbox } from "../../src/sandbox/index.js";
import { postJson, rawRpc } from "./rpc-helpers.js";

let sandbox: RunningSandbox;
let url: string;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, endpoints: 2, manualClock: true });
  url = sandbox.rpcUrls[0] as string;
});

afterAll(async () => {
  await sandbox.close();
});

describe("admin routes", () => {
  it("describes the sandbox", async () => {
    const response = await fetch(sandbox.adminUrl);
    const body = (await response.json()) as { endpoints: { rpc: string }[]; clockRunning: boolean };
    expect(body.endpoints).toHaveLength(2);
    expect(body.endpoints[1]?.rpc).toBe(sandbox.rpcUrls[1]);
    expect(body.clockRunning).toBe(false);
  });

  it("drives the clock", async () => {
    const before = sandbox.chain.getSlot("processed");
    const advanced = await postJson(`${sandbox.adminUrl}/clock`, { action: "advance", slots: 3 });
    expect(advanced.body).toEqual({ slot: Number(before + 3n), running: false });
    expect((await postJson(`${sandbox.adminUrl}/clock`, { action: "resume" })).body.running).toBe(
      true,
    );
    expect((await postJson(`${sandbox.adminUrl}/clock`, { action: "pause" })).body.running).toBe(
      false,
    );
  });

  it("airdrops, sets accounts, snapshots and restores", async () => {
    const wallet = await generateKeyPairSigner();
    const airdrop = await postJson(`${sandbox.adminUrl}/airdrop`, {
      address: wallet.address,
      lamports: "2500000000",
    });
    expect(typeof airdrop.body.signature).toBe("string");
    const snapshot = await postJson(`${sandbox.adminUrl}/snapshot`, {});
    expect(snapshot.body.id).toMatch(/^snap-/);

    const other = await generateKeyPairSigner();
    const data = Buffer.from([1, 2, 3, 4]).toString("base64");
    await postJson(`${sandbox.adminUrl}/accounts`, {
      address: other.address,
      lamports: 1_000_000,
      owner: wallet.address,
      data,
    });
    const info = await rawRpc(url, "getAccountInfo", [other.address, { encoding: "base64" }]);
    expect(info.body.result.value).toMatchObject({
      lamports: 1_000_000,
      owner: wallet.address,
      data: [data, "base64"],
      space: 4,
    });
    await postJson(`${sandbox.adminUrl}/airdrop`, { address: wallet.address, lamports: 1 });

    const restored = await postJson(`${sandbox.adminUrl}/restore`, { id: snapshot.body.id });
    expect(restored.body).toEqual({ restored: true });
    expect((await rawRpc(url, "getBalance", [wallet.address])).body.result.value).toBe(
      2_500_000_000,
    );
    expect((await rawRpc(url, "getAccountInfo", [other.address])).body.result.value).toBeNull();
  });

  it("sets faults at run time", async () => {
    const set = await postJson(`${sandbox.adminUrl}/faults`, {
      endpoint: 1,
      profile: { latencyMs: 5, lagSlots: 2 },
    });
    expect(set.body.profile).toMatchObject({ latencyMs: 5, lagSlots: 2, down: false });
    expect(sandbox.getFaults(1).lagSlots).toBe(2);
    await postJson(`${sandbox.adminUrl}/faults`, {
      endpoint: 1,
      profile: { latencyMs: 0, lagSlots: 0 },
    });
  });

  it("rejects bad input with a JSON error and 400", async () => {
    const cases: [string, unknown][] = [
      ["clock", { action: "rewind" }],
      ["faults", { endpoint: 0, profile: { errorRate: 2 } }],
      ["faults", { endpoint: 9, profile: {} }],
      ["airdrop", { address: "nope", lamports: 1 }],
      ["accounts", { address: sandbox.chain.faucetAddress, lamports: -1 }],
      ["restore", { id: "snap-999" }],
    ];
    for (const [route, body] of cases) {
      const response = await postJson(`${sandbox.adminUrl}/${route}`, body);
      expect(response.status, route).toBe(400);
      expect(typeof response.body.error.code).toBe("string");
      expect(typeof response.body.error.message).toBe("string");
    }
    const notJson = await postJson(`${sandbox.adminUrl}/clock`, "{");
    expect(notJson.body.error.code).toBe("INVALID_JSON");
    expect((await postJson(`${sandbox.adminUrl}/teleport`, {})).status).toBe(404);
  });
});
