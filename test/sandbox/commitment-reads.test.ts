import {
  type Connection,
  Keypair,
  LAMPORTS_PER_SOL,
  NONCE_ACCOUNT_LENGTH,
  NonceAccount,
  SystemProgram,
  Transaction,
} from "@solana/web3.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSandbox, startSandbox } from "../../src/sandbox/index.js";
import { createWeb3Connection } from "./web3-connection.js";

// Account reads follow the commitment they ask for: what a transaction sent over RPC wrote is
// seen at `processed` at once and at `confirmed` only once its slot is confirmed, as on mainnet.
// web3.js's durable-nonce confirmation depends on it: it takes a nonce that advanced at
// `confirmed` while the signature is still `processed` for an expired transaction.

let sandbox: RunningSandbox;
let connection: Connection;
const payer = Keypair.generate();
const nonceAccount = Keypair.generate();

/** Lands a web3.js transaction in-process (setup: seen at every commitment at once). */
function landInProcess(tx: Transaction, ...signers: Keypair[]) {
  tx.recentBlockhash = sandbox.chain.getBlock(sandbox.chain.getSlot("processed")).blockhash;
  tx.feePayer = payer.publicKey;
  tx.sign(payer, ...signers);
  const result = sandbox.chain.sendTransaction(tx.serialize());
  if (!result.landed || result.err !== null) throw new Error(`setup failed: ${result.err}`);
}

const nonceAt = async (commitment: "processed" | "confirmed") => {
  const info = await connection.getAccountInfo(nonceAccount.publicKey, commitment);
  if (!info) throw new Error("nonce account missing");
  return NonceAccount.fromAccountData(info.data).nonce;
};

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, manualClock: true });
  connection = createWeb3Connection(sandbox);
  sandbox.chain.airdrop(payer.publicKey.toBase58() as never, 10n * BigInt(LAMPORTS_PER_SOL));
  const rent = await connection.getMinimumBalanceForRentExemption(NONCE_ACCOUNT_LENGTH);
  landInProcess(
    new Transaction().add(
      SystemProgram.createNonceAccount({
        fromPubkey: payer.publicKey,
        noncePubkey: nonceAccount.publicKey,
        authorizedPubkey: payer.publicKey,
        lamports: rent,
      }),
    ),
    nonceAccount,
  );
  sandbox.chain.advance(1);
});

afterAll(async () => {
  await sandbox.close();
});

describe("account reads at a commitment", () => {
  it("confirms a durable-nonce transaction whose nonce read lands before its slot is confirmed", async () => {
    const nonceValue = await nonceAt("confirmed");
    const advanceIx = SystemProgram.nonceAdvance({
      noncePubkey: nonceAccount.publicKey,
      authorizedPubkey: payer.publicKey,
    });
    const recipient = Keypair.generate().publicKey;
    const tx = new Transaction({
      feePayer: payer.publicKey,
      nonceInfo: { nonce: nonceValue, nonceInstruction: advanceIx },
    }).add(
      SystemProgram.transfer({
        fromPubkey: payer.publicKey,
        toPubkey: recipient,
        lamports: 5_000_000,
      }),
    );
    tx.sign(payer);
    // The slot web3.js reads the nonce at has reached minContextSlot already: the race a slot
    // boundary between getSlot and the send opens on a live cluster.
    const minContextSlot = Number(sandbox.chain.getSlot("confirmed"));
    const signature = await connection.sendRawTransaction(tx.serialize());

    // Processed sees the send at once; confirmed still the slot before.
    expect(await nonceAt("processed")).not.toBe(nonceValue);
    expect(await nonceAt("confirmed")).toBe(nonceValue);
    expect(await connection.getBalance(recipient, "confirmed")).toBe(0);
    expect(await connection.getBalance(recipient, "processed")).toBe(5_000_000);

    const confirmation = connection.confirmTransaction(
      { signature, minContextSlot, nonceAccountPubkey: nonceAccount.publicKey, nonceValue },
      "confirmed",
    );
    // web3.js reads the nonce at once; the slot is confirmed a moment later.
    await new Promise((resolve) => setTimeout(resolve, 300));
    sandbox.chain.advance(1);
    expect((await confirmation).value.err).toBeNull();
    expect(await nonceAt("confirmed")).not.toBe(nonceValue);
    expect(await connection.getBalance(recipient, "confirmed")).toBe(5_000_000);
  });

  it("shows in-process and admin writes at every commitment at once", async () => {
    const target = Keypair.generate().publicKey;
    sandbox.chain.airdrop(target.toBase58() as never, 1_000_000n);
    expect(await connection.getBalance(target, "finalized")).toBe(1_000_000);
    sandbox.chain.setAccount({ address: target.toBase58() as never, lamports: 2_000_000n });
    expect(await connection.getBalance(target, "confirmed")).toBe(2_000_000);
  });
});
