import { type Connection, Keypair, type Logs } from "@solana/web3.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSandbox, startSandbox } from "../../src/sandbox/index.js";
import { createWeb3Connection } from "./web3-connection.js";

const SYSTEM = "11111111111111111111111111111111";
const TRANSFER_LOGS = [`Program ${SYSTEM} invoke [1]`, `Program ${SYSTEM} success`];

let sandbox: RunningSandbox;
let connection: Connection;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, manualClock: true });
  connection = createWeb3Connection(sandbox, "processed");
  sandbox.chain.advance(3);
});

afterAll(async () => {
  await sandbox.close();
});

const nextTick = () => new Promise((resolve) => setImmediate(resolve));

describe("the faucet", () => {
  it("airdrops with one plain System transfer, logging what a validator's faucet does", async () => {
    const recipient = Keypair.generate().publicKey;
    const received = new Promise<Logs>((resolve) => {
      connection.onLogs(recipient, resolve, "processed");
    });
    // web3.js subscribes in the background: give it time to reach the socket.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const signature = await connection.requestAirdrop(recipient, 1_000_000_000);
    const logs = await received;
    expect(logs).toEqual({ signature, err: null, logs: TRANSFER_LOGS });
    const landed = await connection.getTransaction(signature, {
      commitment: "confirmed",
      maxSupportedTransactionVersion: 0,
    });
    expect(landed).toBeNull(); // not yet confirmed
    sandbox.chain.advance(1);
    const confirmed = await connection.getTransaction(signature, {
      commitment: "confirmed",
      maxSupportedTransactionVersion: 0,
    });
    const message = confirmed?.transaction.message;
    expect(message?.compiledInstructions).toHaveLength(1);
    expect(message?.staticAccountKeys.map((key) => key.toBase58())).toEqual([
      sandbox.chain.faucetAddress,
      recipient.toBase58(),
      SYSTEM,
    ]);
    expect(confirmed?.meta?.logMessages).toEqual(TRANSFER_LOGS);
  });

  it("keeps repeated airdrops apart by their recent blockhash while a valid one is unused", async () => {
    const recipient = Keypair.generate().publicKey;
    sandbox.chain.advance(2);
    // Identical airdrops in one slot: each valid blockhash (the sandbox started a few slots ago,
    // the current one and every older), then one more made unique otherwise.
    const tip = sandbox.chain.getSlot("processed");
    const genesis = sandbox.chain.getBlockSlots(0n, tip)[0] as bigint;
    const valid = Number(tip - genesis) + 1;
    const amount = 1_000_000_000;
    const signatures: string[] = [];
    for (let i = 0; i < valid + 1; i++) {
      signatures.push(await connection.requestAirdrop(recipient, amount));
    }
    await nextTick();
    expect(new Set(signatures).size).toBe(signatures.length);
    expect(await connection.getBalance(recipient, "processed")).toBe(amount * signatures.length);
    const blockhashes = signatures.map(
      (signature) => sandbox.chain.getTransaction(signature)?.transaction.recentBlockhash,
    );
    expect(blockhashes.slice(0, valid)).toEqual(
      Array.from(
        { length: valid },
        (_, back) => sandbox.chain.getBlock(tip - BigInt(back)).blockhash,
      ),
    );
    const instructionCounts = signatures.map(
      (signature) => sandbox.chain.getTransaction(signature)?.transaction.instructions.length,
    );
    expect(instructionCounts).toEqual([...Array(valid).fill(1), 2]);
  });
});
