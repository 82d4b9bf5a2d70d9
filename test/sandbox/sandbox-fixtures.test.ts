import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { address, createSolanaRpc, generateKeyPairSigner } from "@solana/kit";
import { Connection, PublicKey } from "@solana/web3.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bytesToBase58 } from "../../src/sandbox/encoding/base58.js";
import { type RunningSandbox, startSandbox } from "../../src/sandbox/index.js";
import { postJson } from "./rpc-helpers.js";
import { spawnSandboxCommand, watchStdout } from "./spawn-sandbox-command.js";

const TOKEN_PROGRAM = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA";
const STAKE_CONFIG = "StakeConfig11111111111111111111111111111111";
const U64_MAX = 18_446_744_073_709_551_615n;

/** A fixture file as `solana account --output json` writes it; u64s as literal JSON integers. */
function fixtureJson(
  pubkey: string,
  account: { lamports: bigint; data: Uint8Array; owner: string; rentEpoch: bigint },
) {
  return `{"pubkey":"${pubkey}","account":{"lamports":${account.lamports},"data":["${Buffer.from(account.data).toString("base64")}","base64"],"owner":"${account.owner}","executable":false,"rentEpoch":${account.rentEpoch},"space":${account.data.length}}}`;
}

/** An initialized SPL Token mint: no authority, supply 0, 6 decimals. */
function mintData(): Uint8Array {
  const data = new Uint8Array(82);
  data[44] = 6;
  data[45] = 1;
  return data;
}

describe("admin accounts route", () => {
  let sandbox: RunningSandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, manualClock: true });
  });

  afterAll(async () => {
    await sandbox.close();
  });

  it("sets every field a genesis account has, and reads them back", async () => {
    const owner = (await generateKeyPairSigner()).address;
    const [first, second] = [await generateKeyPairSigner(), await generateKeyPairSigner()];
    // Raw text, so u64::MAX travels as the literal integer a fixture carries.
    const body = `{"address":"${first.address}","lamports":18446744073709551615,"owner":"${owner}","data":["${bytesToBase58(Uint8Array.from([9, 8, 7]))}","base58"],"executable":false,"rentEpoch":0,"space":3}`;
    const set = await postJson(`${sandbox.adminUrl}/accounts`, body);
    expect(set.body).toEqual({ address: first.address });
    await postJson(`${sandbox.adminUrl}/accounts`, {
      address: second.address,
      lamports: "5000000",
      space: 16,
      rentEpoch: "18446744073709551615",
    });

    const rpc = createSolanaRpc(sandbox.rpcUrls[0] as string);
    const { value } = await rpc.getAccountInfo(first.address, { encoding: "base64" }).send();
    expect(value).toEqual({
      data: [Buffer.from([9, 8, 7]).toString("base64"), "base64"],
      executable: false,
      lamports: U64_MAX,
      owner,
      rentEpoch: 0n,
      space: 3n,
    });
    const connection = new Connection(sandbox.rpcUrls[0] as string);
    const zeroed = await connection.getAccountInfo(new PublicKey(second.address));
    expect(zeroed?.data).toEqual(Buffer.alloc(16));
    expect(zeroed?.lamports).toBe(5_000_000);
    expect(zeroed?.rentEpoch).toBe(Number(U64_MAX));

    const mismatch = await postJson(`${sandbox.adminUrl}/accounts`, {
      address: second.address,
      lamports: 1,
      data: Buffer.from([1]).toString("base64"),
      space: 2,
    });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error.code).toBe("INVALID_INPUT");
  });

  it("holds the validator's stake config, as a test validator's genesis writes it", async () => {
    const rpc = createSolanaRpc(sandbox.rpcUrls[0] as string);
    const { value } = await rpc
      .getAccountInfo(address(STAKE_CONFIG), { encoding: "base64" })
      .send();
    expect(value).toEqual({
      data: ["AAAAAAAAANA/DA==", "base64"],
      executable: false,
      lamports: 960_480n,
      owner: "Config1111111111111111111111111111111111111",
      rentEpoch: 0n,
      space: 10n,
    });
  });
});

describe("osprey sandbox --no-market --account --account-dir", () => {
  let child: ChildProcess | undefined;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "osprey-fixtures-"));
  });

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill("SIGKILL");
    await rm(dir, { recursive: true, force: true });
  });

  it("serves only a fresh validator's accounts plus the loaded fixtures", async () => {
    const wallet = (await generateKeyPairSigner()).address;
    const mint = (await generateKeyPairSigner()).address;
    const renamed = (await generateKeyPairSigner()).address;
    const walletData = Uint8Array.from([1, 2, 3, 4, 5]);
    await writeFile(
      join(dir, "wallet.json"),
      fixtureJson(wallet, {
        lamports: 5_000_000n,
        data: walletData,
        owner: "11111111111111111111111111111111",
        rentEpoch: U64_MAX,
      }),
    );
    await writeFile(
      join(dir, "stake-config.json"),
      fixtureJson(STAKE_CONFIG, {
        lamports: 10_290_815n,
        data: new Uint8Array(16),
        owner: "Config1111111111111111111111111111111111111",
        rentEpoch: 0n,
      }),
    );
    const mintFile = join(tmpdir(), `osprey-mint-${process.pid}.json`);
    // The file names another pubkey: --account's address wins, as with solana-test-validator.
    await writeFile(
      mintFile,
      fixtureJson(renamed, {
        lamports: 1_461_600n,
        data: mintData(),
        owner: TOKEN_PROGRAM,
        rentEpoch: 0n,
      }),
    );

    child = spawnSandboxCommand([
      "--port",
      "0",
      "--json",
      "--no-market",
      "--account-dir",
      dir,
      "--account",
      mint,
      mintFile,
    ]);
    const line = await watchStdout(child).firstLine;
    await rm(mintFile, { force: true });
    const ready = JSON.parse(line) as Record<string, unknown> & { rpc: string[] };
    expect(ready.swapApi).toBeUndefined();
    expect(Object.keys(ready)).toEqual([
      "rpc",
      "ws",
      "admin",
      "identity",
      "voteAccount",
      "faucet",
      "blockEngine",
      "sender",
    ]);
    const rpc = createSolanaRpc(ready.rpc[0] as string);

    const { value: walletAccount } = await rpc
      .getAccountInfo(wallet, { encoding: "base64" })
      .send();
    expect(walletAccount).toEqual({
      data: [Buffer.from(walletData).toString("base64"), "base64"],
      executable: false,
      lamports: 5_000_000n,
      owner: "11111111111111111111111111111111",
      rentEpoch: U64_MAX,
      space: 5n,
    });
    // No demo market: the token program owns the loaded mint and the genesis native mint only.
    const tokenAccounts = await rpc
      .getProgramAccounts(address(TOKEN_PROGRAM), { encoding: "base64" })
      .send();
    expect(tokenAccounts.map((entry) => entry.pubkey).sort()).toEqual(
      [mint, "So11111111111111111111111111111111111111112"].sort(),
    );
    const nativeMint = tokenAccounts.find((entry) => entry.pubkey !== mint)?.account;
    // As a test validator's genesis writes it: 1 SOL, rent epoch 1, 9 decimals, initialized.
    expect(nativeMint).toMatchObject({ lamports: 1_000_000_000n, rentEpoch: 1n, space: 82n });
    const { value: mintAccount } = await rpc.getAccountInfo(mint, { encoding: "base64" }).send();
    // kit's types leave the deprecated rentEpoch out; the wire still carries it.
    expect(mintAccount).toMatchObject({ rentEpoch: 0n, space: 82n });
    const supply = await rpc.getTokenSupply(mint, { commitment: "confirmed" }).send();
    expect(supply.value).toMatchObject({ amount: "0", decimals: 6 });
    expect((await rpc.getAccountInfo(renamed).send()).value).toBeNull();
    // The validator's genesis writes the stake config after the fixtures: its own stays.
    const { value: stakeConfig } = await rpc.getAccountInfo(address(STAKE_CONFIG)).send();
    expect(stakeConfig?.lamports).toBe(960_480n);

    const exited = once(child, "exit");
    child.kill("SIGINT");
    const [code] = await exited;
    expect(code).toBe(0);
  });
});
