import {
  type AddressLookupTableAccount,
  AddressLookupTableProgram,
  type Connection,
  Keypair,
  LAMPORTS_PER_SOL,
  NONCE_ACCOUNT_LENGTH,
  NonceAccount,
  type PublicKey,
  SystemProgram,
  sendAndConfirmTransaction,
  Transaction,
  type TransactionInstruction,
  TransactionMessage,
  VersionedTransaction,
} from "@solana/web3.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSandbox, startSandbox } from "../../src/sandbox/index.js";
import { createWeb3Connection } from "./web3-connection.js";

let sandbox: RunningSandbox;
let connection: Connection;
let payer: Keypair;

const until = async (check: () => Promise<boolean>, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

async function sendV0(
  instructions: TransactionInstruction[],
  tables: AddressLookupTableAccount[] = [],
) {
  const latest = await connection.getLatestBlockhash("confirmed");
  const message = new TransactionMessage({
    payerKey: payer.publicKey,
    recentBlockhash: latest.blockhash,
    instructions,
  }).compileToV0Message(tables);
  const tx = new VersionedTransaction(message);
  tx.sign([payer]);
  const signature = await connection.sendTransaction(tx);
  const confirmed = await connection.confirmTransaction({ signature, ...latest }, "confirmed");
  return { signature, err: confirmed.value.err };
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, slotMs: 50 });
  connection = createWeb3Connection(sandbox);
  payer = Keypair.generate();
  sandbox.chain.airdrop(payer.publicKey.toBase58() as never, 100n * BigInt(LAMPORTS_PER_SOL));
});

afterAll(async () => {
  await sandbox.close();
});

describe("web3.js v1 against the running clock", () => {
  it("creates and extends a lookup table and sends a v0 transaction through it", async () => {
    const recentSlot = await connection.getSlot("finalized");
    await until(async () => (await connection.getSlot("processed")) > recentSlot);
    const [create, table] = AddressLookupTableProgram.createLookupTable({
      authority: payer.publicKey,
      payer: payer.publicKey,
      recentSlot,
    });
    expect((await sendV0([create])).err).toBeNull();
    const recipients = [Keypair.generate().publicKey, Keypair.generate().publicKey];
    const extend = AddressLookupTableProgram.extendLookupTable({
      lookupTable: table,
      authority: payer.publicKey,
      payer: payer.publicKey,
      addresses: recipients,
    });
    expect((await sendV0([extend])).err).toBeNull();
    const { value: lookupTable } = await connection.getAddressLookupTable(table);
    expect(lookupTable?.state.addresses.map((a: PublicKey) => a.toBase58())).toEqual(
      recipients.map((r) => r.toBase58()),
    );
    const transfers = recipients.map((toPubkey) =>
      SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey, lamports: LAMPORTS_PER_SOL }),
    );
    if (!lookupTable) throw new Error("no lookup table");
    const { signature, err } = await sendV0(transfers, [lookupTable]);
    expect(err).toBeNull();
    const fetched = await connection.getTransaction(signature, {
      commitment: "confirmed",
      maxSupportedTransactionVersion: 0,
    });
    expect(fetched?.transaction.message.addressTableLookups).toHaveLength(1);
    expect(fetched?.meta?.loadedAddresses?.writable.map((a) => a.toBase58()).sort()).toEqual(
      recipients.map((r) => r.toBase58()).sort(),
    );
    for (const recipient of recipients) {
      expect(await connection.getBalance(recipient)).toBe(LAMPORTS_PER_SOL);
    }
  });

  it("creates a nonce account and lands a transaction on its nonce", async () => {
    const nonceAccount = Keypair.generate();
    const rent = await connection.getMinimumBalanceForRentExemption(NONCE_ACCOUNT_LENGTH);
    const create = new Transaction().add(
      SystemProgram.createNonceAccount({
        fromPubkey: payer.publicKey,
        noncePubkey: nonceAccount.publicKey,
        authorizedPubkey: payer.publicKey,
        lamports: rent,
      }),
    );
    await sendAndConfirmTransaction(connection, create, [payer, nonceAccount]);
    const readNonce = async () => {
      const info = await connection.getAccountInfo(nonceAccount.publicKey, "processed");
      return NonceAccount.fromAccountData(info?.data as Buffer).nonce;
    };
    const nonce = await readNonce();
    // The nonce was stored in an earlier slot: wait for the next so it can advance.
    const created = await connection.getSlot("processed");
    await until(async () => (await connection.getSlot("processed")) > created);

    const recipient = Keypair.generate().publicKey;
    const onNonce = (lamports: number) => {
      const tx = new Transaction({
        feePayer: payer.publicKey,
        nonceInfo: {
          nonce,
          nonceInstruction: SystemProgram.nonceAdvance({
            noncePubkey: nonceAccount.publicKey,
            authorizedPubkey: payer.publicKey,
          }),
        },
      }).add(
        SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: recipient, lamports }),
      );
      tx.sign(payer);
      return tx;
    };
    const tx = onNonce(LAMPORTS_PER_SOL);
    const signature = await connection.sendRawTransaction(tx.serialize());
    const minContextSlot = await connection.getSlot("processed");
    const confirmed = await connection.confirmTransaction(
      {
        signature,
        nonceAccountPubkey: nonceAccount.publicKey,
        nonceValue: nonce,
        minContextSlot,
      },
      "confirmed",
    );
    expect(confirmed.value.err).toBeNull();
    expect(await connection.getBalance(recipient)).toBe(LAMPORTS_PER_SOL);
    expect(await readNonce()).not.toBe(nonce);
    await expect(
      connection.sendRawTransaction(onNonce(2 * LAMPORTS_PER_SOL).serialize()),
    ).rejects.toThrow(/Blockhash not found/);
  });
});
