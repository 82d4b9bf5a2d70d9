import {
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
  TransactionMessage,
  VersionedTransaction,
} from "@solana/web3.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSandbox, startSandbox } from "../../src/sandbox/index.js";
import { waitFor } from "./wait-for.js";
import { airdropConfirmed, createWeb3Connection } from "./web3-connection.js";

// Acceptance (issue 18): what a validator does for @solana/web3.js v1's own flows, through a
// listening sandbox — lookup tables, durable nonces, log/program subscriptions, blocks, and a
// failure reported by the confirmation rather than by preflight.
let sandbox: RunningSandbox;
let connection: Connection;
const payer = Keypair.generate();

/**
 * Resolves once the confirmed slot is past the slot `signature` landed in: preflight runs on the
 * confirmed bank, which must be a later slot for a lookup table's new addresses or a nonce's
 * next advance (as on a validator).
 */
async function waitForSlotAfterLanding(signature: string) {
  const { value } = await connection.getSignatureStatus(signature);
  if (!value) throw new Error(`no status for ${signature}`);
  while ((await connection.getSlot("confirmed")) <= value.slot) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function transfer(to: PublicKey, lamports: number) {
  return SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: to, lamports });
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, slotMs: 50 });
  connection = createWeb3Connection(sandbox);
  await airdropConfirmed(connection, payer.publicKey, 20 * LAMPORTS_PER_SOL);
});

afterAll(async () => {
  await sandbox?.close();
});

describe("official @solana/web3.js v1 flows against the sandbox", () => {
  it("creates and extends a lookup table and sends a v0 transaction through it", async () => {
    const recipients = [Keypair.generate().publicKey, Keypair.generate().publicKey];
    const recentSlot = await connection.getSlot("finalized");
    const [create, lookupTable] = AddressLookupTableProgram.createLookupTable({
      authority: payer.publicKey,
      payer: payer.publicKey,
      recentSlot,
    });
    const extend = AddressLookupTableProgram.extendLookupTable({
      lookupTable,
      authority: payer.publicKey,
      payer: payer.publicKey,
      addresses: recipients,
    });
    const setup = await sendAndConfirmTransaction(
      connection,
      new Transaction().add(create, extend),
      [payer],
    );
    await waitForSlotAfterLanding(setup); // extended addresses are usable from the next slot

    const { value: table } = await connection.getAddressLookupTable(lookupTable);
    expect(table?.state.addresses.map((key) => key.toBase58())).toEqual(
      recipients.map((key) => key.toBase58()),
    );
    expect(table?.state.authority?.toBase58()).toBe(payer.publicKey.toBase58());

    const latest = await connection.getLatestBlockhash();
    const message = new TransactionMessage({
      payerKey: payer.publicKey,
      recentBlockhash: latest.blockhash,
      instructions: recipients.map((to, i) => transfer(to, LAMPORTS_PER_SOL + i)),
    }).compileToV0Message(table ? [table] : []);
    expect(message.addressTableLookups).toHaveLength(1);
    // The validator loads the table's entries in the order of the message's writable indexes.
    const loaded = (message.addressTableLookups[0]?.writableIndexes ?? []).map((i) =>
      table?.state.addresses[i]?.toBase58(),
    );
    expect([...loaded].sort()).toEqual(recipients.map((key) => key.toBase58()).sort());
    const tx = new VersionedTransaction(message);
    tx.sign([payer]);
    const signature = await connection.sendTransaction(tx);
    const confirmed = await connection.confirmTransaction({ signature, ...latest }, "confirmed");
    expect(confirmed.value.err).toBeNull();
    expect(await connection.getBalance(recipients[1] as PublicKey)).toBe(LAMPORTS_PER_SOL + 1);

    const landed = await connection.getTransaction(signature, {
      commitment: "confirmed",
      maxSupportedTransactionVersion: 0,
    });
    expect(landed?.version).toBe(0);
    expect(landed?.meta?.err).toBeNull();
    expect(landed?.meta?.loadedAddresses?.writable.map((key) => key.toBase58())).toEqual(loaded);
    expect(landed?.meta?.loadedAddresses?.readonly).toEqual([]);
    expect(landed?.transaction.message.addressTableLookups[0]?.accountKey.toBase58()).toBe(
      lookupTable.toBase58(),
    );
  });

  it("advances a durable nonce and lands a nonce transaction once", async () => {
    const nonceAccount = Keypair.generate();
    const rent = await connection.getMinimumBalanceForRentExemption(NONCE_ACCOUNT_LENGTH);
    const created = await sendAndConfirmTransaction(
      connection,
      new Transaction().add(
        SystemProgram.createNonceAccount({
          fromPubkey: payer.publicKey,
          noncePubkey: nonceAccount.publicKey,
          authorizedPubkey: payer.publicKey,
          lamports: rent,
        }),
      ),
      [payer, nonceAccount],
    );
    const readNonce = async () => {
      const info = await connection.getAccountInfo(nonceAccount.publicKey, "confirmed");
      if (!info) throw new Error("nonce account missing");
      return NonceAccount.fromAccountData(info.data).nonce;
    };
    const initial = await readNonce();
    await waitForSlotAfterLanding(created);

    const advanceIx = SystemProgram.nonceAdvance({
      noncePubkey: nonceAccount.publicKey,
      authorizedPubkey: payer.publicKey,
    });
    const advanced = await sendAndConfirmTransaction(connection, new Transaction().add(advanceIx), [
      payer,
    ]);
    const afterAdvance = await readNonce();
    expect(afterAdvance).not.toBe(initial);
    await waitForSlotAfterLanding(advanced);

    const recipient = Keypair.generate().publicKey;
    const nonceTx = (lamports: number) => {
      const tx = new Transaction({
        feePayer: payer.publicKey,
        nonceInfo: { nonce: afterAdvance, nonceInstruction: advanceIx },
      }).add(transfer(recipient, lamports));
      tx.sign(payer);
      return tx.serialize();
    };
    const minContextSlot = await connection.getSlot("processed");
    const signature = await connection.sendRawTransaction(nonceTx(LAMPORTS_PER_SOL));
    const confirmation = await connection.confirmTransaction(
      {
        signature,
        minContextSlot,
        nonceAccountPubkey: nonceAccount.publicKey,
        nonceValue: afterAdvance,
      },
      "confirmed",
    );
    expect(confirmation.value.err).toBeNull();
    expect(await connection.getBalance(recipient)).toBe(LAMPORTS_PER_SOL);
    expect(await readNonce()).not.toBe(afterAdvance);
    // The nonce it used is spent: a second transaction with it is refused.
    await expect(connection.sendRawTransaction(nonceTx(LAMPORTS_PER_SOL + 1))).rejects.toThrow(
      /Blockhash not found/,
    );
  });

  it("notifies logsSubscribe (all, mentions) and programSubscribe for a transfer", async () => {
    const recipient = Keypair.generate().publicKey;
    const all: { signature: string; logs: string[]; err: unknown }[] = [];
    const mentions: { signature: string; logs: string[]; err: unknown }[] = [];
    const program: { accountId: string; lamports: number; owner: string }[] = [];
    const ids = [
      connection.onLogs("all", (logs) => all.push(logs), "confirmed"),
      connection.onLogs(recipient, (logs) => mentions.push(logs), "confirmed"),
      connection.onProgramAccountChange(
        SystemProgram.programId,
        (change) =>
          program.push({
            accountId: change.accountId.toBase58(),
            lamports: change.accountInfo.lamports,
            owner: change.accountInfo.owner.toBase58(),
          }),
        { commitment: "confirmed" },
      ),
    ];
    await new Promise((resolve) => setTimeout(resolve, 300)); // subscriptions acknowledged
    const signature = await sendAndConfirmTransaction(
      connection,
      new Transaction().add(transfer(recipient, 2 * LAMPORTS_PER_SOL)),
      [payer],
    );
    const fromAll = await waitFor(all, (n) => n.signature === signature);
    expect(fromAll.err).toBeNull();
    expect(fromAll.logs).toContain("Program 11111111111111111111111111111111 invoke [1]");
    const mentioned = await waitFor(mentions, (n) => n.signature === signature);
    expect(mentioned.logs).toContain("Program 11111111111111111111111111111111 success");
    expect(mentions.every((n) => n.signature === signature)).toBe(true);
    const changed = await waitFor(program, (n) => n.accountId === recipient.toBase58());
    expect(changed).toEqual({
      accountId: recipient.toBase58(),
      lamports: 2 * LAMPORTS_PER_SOL,
      owner: SystemProgram.programId.toBase58(),
    });
    await connection.removeOnLogsListener(ids[0] as number);
    await connection.removeOnLogsListener(ids[1] as number);
    await connection.removeProgramAccountChangeListener(ids[2] as number);
  });

  it("reads the block of a transaction and its block time", async () => {
    const signature = await sendAndConfirmTransaction(
      connection,
      new Transaction().add(transfer(Keypair.generate().publicKey, LAMPORTS_PER_SOL)),
      [payer],
    );
    const landed = await connection.getTransaction(signature, {
      commitment: "confirmed",
      maxSupportedTransactionVersion: 0,
    });
    const slot = landed?.slot ?? -1;
    const block = await connection.getBlock(slot, {
      commitment: "confirmed",
      maxSupportedTransactionVersion: 0,
    });
    expect(block?.transactions.map((tx) => tx.transaction.signatures[0])).toContain(signature);
    expect(block?.parentSlot).toBe(slot - 1);
    const parent = await connection.getBlock(slot - 1, {
      commitment: "confirmed",
      maxSupportedTransactionVersion: 0,
    });
    expect(block?.previousBlockhash).toBe(parent?.blockhash);
    const blockTime = await connection.getBlockTime(slot);
    expect(blockTime).toBe(block?.blockTime);
    expect(Math.abs((blockTime ?? 0) - Date.now() / 1000)).toBeLessThan(60);
    expect(landed?.blockTime).toBe(blockTime);
    expect(await connection.getBlocks(slot - 1, slot, "confirmed")).toEqual([slot - 1, slot]);
  });

  it("reports a skipPreflight transaction's failure through confirmTransaction", async () => {
    const poor = Keypair.generate();
    await airdropConfirmed(connection, poor.publicKey, LAMPORTS_PER_SOL / 10);
    const latest = await connection.getLatestBlockhash();
    const tx = new Transaction({ feePayer: poor.publicKey, ...latest }).add(
      SystemProgram.transfer({
        fromPubkey: poor.publicKey,
        toPubkey: Keypair.generate().publicKey,
        lamports: LAMPORTS_PER_SOL, // more than it holds
      }),
    );
    tx.sign(poor);
    // A validator executes it in a later block: with the slot clock held, web3.js subscribes and
    // checks the status first (nothing yet), and learns the failure from the notification. Had
    // the status been there already, confirmTransaction would reject with the bare error.
    sandbox.chain.clock.pause();
    const sent = connection
      .sendRawTransaction(tx.serialize(), { skipPreflight: true })
      .then(async (signature) => {
        const confirming = connection.confirmTransaction({ signature, ...latest }, "confirmed");
        confirming.catch(() => {}); // awaited below; a rejection must not go unhandled meanwhile
        await new Promise((resolve) => setTimeout(resolve, 200));
        sandbox.chain.clock.resume();
        return { signature, confirmation: await confirming };
      })
      .finally(() => sandbox.chain.clock.resume());
    const { signature, confirmation } = await sent;
    expect(confirmation.value.err).toEqual({ InstructionError: [0, { Custom: 1 }] });
    const landed = await connection.getTransaction(signature, {
      commitment: "confirmed",
      maxSupportedTransactionVersion: 0,
    });
    expect(landed?.meta?.err).toEqual({ InstructionError: [0, { Custom: 1 }] });
    expect(await connection.getBalance(poor.publicKey)).toBe(LAMPORTS_PER_SOL / 10 - 5000);
  });
});
