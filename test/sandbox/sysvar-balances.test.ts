import { type Address, createSolanaRpc } from "@solana/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSandbox, startSandbox } from "../../src/sandbox/index.js";

const SYSVAR_OWNER = "Sysvar1111111111111111111111111111111111111" as Address;
/** What a fresh solana-test-validator's sysvars hold (the rent-exempt minimum of each one's size). */
const VALIDATOR_LAMPORTS: Record<string, bigint> = {
  SysvarC1ock11111111111111111111111111111111: 1_169_280n,
  SysvarEpochSchedu1e111111111111111111111111: 1_120_560n,
  SysvarRecentB1ockHashes11111111111111111111: 42_706_560n,
  SysvarRent111111111111111111111111111111111: 1_009_200n,
  SysvarS1otHistory11111111111111111111111111: 913_326_000n,
  SysvarStakeHistory1111111111111111111111111: 114_979_200n,
};

let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, manualClock: true });
  sandbox.chain.advance(2);
});

afterAll(async () => {
  await sandbox.close();
});

describe("sysvar accounts", () => {
  it("hold a validator's balances, through every read", async () => {
    const rpc = createSolanaRpc(sandbox.rpcUrls[0] as string);
    const listed = await rpc
      .getProgramAccounts(SYSVAR_OWNER, { encoding: "base64", withContext: false })
      .send();
    const byAddress = new Map(listed.map((entry) => [entry.pubkey, entry.account.lamports]));
    for (const [address, lamports] of Object.entries(VALIDATOR_LAMPORTS)) {
      expect([address, byAddress.get(address as Address)]).toEqual([address, lamports]);
      const { value: balance } = await rpc.getBalance(address as Address).send();
      expect([address, balance]).toEqual([address, lamports]);
    }
    const clock = "SysvarC1ock11111111111111111111111111111111" as Address;
    const { value: account } = await rpc.getAccountInfo(clock, { encoding: "base64" }).send();
    expect(account?.lamports).toBe(1_169_280n);
    // Still so after the clock moved (LiteSVM rewrites its sysvars each slot).
    sandbox.chain.advance(1);
    expect(sandbox.chain.getAccount(clock)?.lamports).toBe(1_169_280n);
  });
});
