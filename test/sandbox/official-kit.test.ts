import {
  AccountRole,
  type Address,
  address,
  airdropFactory,
  appendTransactionMessageInstructions,
  type Base64EncodedWireTransaction,
  type Blockhash,
  compressTransactionMessageUsingAddressLookupTables,
  createTransactionMessage,
  fetchAddressesForLookupTables,
  generateKeyPairSigner,
  getAddressEncoder,
  getBase64EncodedWireTransaction,
  getProgramDerivedAddress,
  getSignatureFromTransaction,
  getU64Encoder,
  type Instruction,
  isSolanaError,
  type KeyPairSigner,
  lamports,
  type Nonce,
  pipe,
  type Signature,
  SOLANA_ERROR__INSTRUCTION_ERROR__CUSTOM,
  SOLANA_ERROR__JSON_RPC__SERVER_ERROR_SEND_TRANSACTION_PREFLIGHT_FAILURE,
  SOLANA_ERROR__TRANSACTION_ERROR__BLOCKHASH_NOT_FOUND,
  sendAndConfirmDurableNonceTransactionFactory,
  sendAndConfirmTransactionFactory,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  setTransactionMessageLifetimeUsingDurableNonce,
  signTransactionMessageWithSigners,
} from "@solana/kit";
import {
  fetchNonce,
  getAdvanceNonceAccountInstruction,
  getCreateAccountInstruction,
  getInitializeNonceAccountInstruction,
  getTransferSolInstruction,
  SYSTEM_PROGRAM_ADDRESS,
} from "@solana-program/system";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSandbox, startSandbox } from "../../src/sandbox/index.js";
import { createKitClients, type KitClients } from "./kit-helpers.js";
import { waitFor } from "./wait-for.js";

// Acceptance (issue 18): @solana/kit's own flows through a listening sandbox — lookup tables,
// durable nonces, log/program subscriptions, blocks, and a failure reported by confirmation.
const LOOKUP_TABLE_PROGRAM = address("AddressLookupTab1e1111111111111111111111111");
const NONCE_ACCOUNT_SPACE = 80n;
const SOL = 1_000_000_000n;

let sandbox: RunningSandbox;
let kit: KitClients;
let payer: KeyPairSigner;
let sendAndConfirm: ReturnType<typeof sendAndConfirmTransactionFactory>;

// @solana-program/address-lookup-table is not installed: its two instructions, by their layout
// (u32 variant, then bincode fields).
function createLookupTableInstruction(
  table: Address,
  bump: number,
  recentSlot: bigint,
): Instruction {
  const data = new Uint8Array(13);
  const view = new DataView(data.buffer);
  view.setUint32(0, 0, true);
  view.setBigUint64(4, recentSlot, true);
  data[12] = bump;
  return {
    programAddress: LOOKUP_TABLE_PROGRAM,
    accounts: [
      { address: table, role: AccountRole.WRITABLE },
      { address: payer.address, role: AccountRole.READONLY },
      { address: payer.address, role: AccountRole.WRITABLE_SIGNER },
      { address: SYSTEM_PROGRAM_ADDRESS, role: AccountRole.READONLY },
    ],
    data,
  };
}

function extendLookupTableInstruction(table: Address, addresses: Address[]): Instruction {
  const data = new Uint8Array(12 + 32 * addresses.length);
  const view = new DataView(data.buffer);
  view.setUint32(0, 2, true);
  view.setBigUint64(4, BigInt(addresses.length), true);
  addresses.forEach((key, i) => {
    data.set(getAddressEncoder().encode(key), 12 + 32 * i);
  });
  return {
    programAddress: LOOKUP_TABLE_PROGRAM,
    accounts: [
      { address: table, role: AccountRole.WRITABLE },
      { address: payer.address, role: AccountRole.READONLY_SIGNER },
      { address: payer.address, role: AccountRole.WRITABLE_SIGNER },
      { address: SYSTEM_PROGRAM_ADDRESS, role: AccountRole.READONLY },
    ],
    data,
  };
}

async function signBlockhashMessage(instructions: Instruction[], feePayer = payer) {
  const { value: latest } = await kit.rpc.getLatestBlockhash({ commitment: "confirmed" }).send();
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayerSigner(feePayer, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash(latest, m),
    (m) => appendTransactionMessageInstructions(instructions, m),
  );
  return { message, latest };
}

/**
 * Resolves once the confirmed slot is past the slot `signature` landed in: preflight runs on the
 * confirmed bank, which must be a later slot for a lookup table's new addresses or a nonce's
 * next advance (as on a validator).
 */
async function waitForSlotAfterLanding(signature: Signature) {
  const { value } = await kit.rpc.getSignatureStatuses([signature]).send();
  const landedIn = value[0]?.slot;
  if (landedIn === undefined) throw new Error(`no status for ${signature}`);
  while ((await kit.rpc.getSlot({ commitment: "confirmed" }).send()) <= landedIn) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function getErrorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, slotMs: 50 });
  kit = createKitClients(sandbox.rpcUrls[0] as string, sandbox.wsUrls[0] as string);
  sendAndConfirm = sendAndConfirmTransactionFactory({
    rpc: kit.rpc,
    rpcSubscriptions: kit.rpcSubscriptions,
  });
  payer = await generateKeyPairSigner();
  await airdropFactory({ rpc: kit.rpc, rpcSubscriptions: kit.rpcSubscriptions })({
    recipientAddress: payer.address,
    lamports: lamports(20n * SOL),
    commitment: "confirmed",
  });
});

afterAll(async () => {
  await sandbox?.close();
});

describe("official @solana/kit flows against the sandbox", () => {
  it("creates and extends a lookup table and sends a v0 transaction through it", async () => {
    const recipients = [
      (await generateKeyPairSigner()).address,
      (await generateKeyPairSigner()).address,
    ];
    const recentSlot = await kit.rpc.getSlot({ commitment: "finalized" }).send();
    const [table, bump] = await getProgramDerivedAddress({
      programAddress: LOOKUP_TABLE_PROGRAM,
      seeds: [getAddressEncoder().encode(payer.address), getU64Encoder().encode(recentSlot)],
    });
    const setup = await kit.send(payer, [
      createLookupTableInstruction(table, bump, recentSlot),
      extendLookupTableInstruction(table, recipients),
    ]);
    await waitForSlotAfterLanding(setup); // usable from the slot after extension

    const addressesByTable = await fetchAddressesForLookupTables([table], kit.rpc, {
      commitment: "confirmed",
    });
    expect(addressesByTable[table]).toEqual(recipients);
    const { message } = await signBlockhashMessage(
      recipients.map((destination, i) =>
        getTransferSolInstruction({ source: payer, destination, amount: SOL + BigInt(i) }),
      ),
    );
    const compressed = compressTransactionMessageUsingAddressLookupTables(
      message,
      addressesByTable,
    );
    const signed = await signTransactionMessageWithSigners(compressed);
    await sendAndConfirm(signed as Parameters<typeof sendAndConfirm>[0], {
      commitment: "confirmed",
    });
    const signature = getSignatureFromTransaction(signed);
    const { value: balance } = await kit.rpc
      .getBalance(recipients[1] as Address, { commitment: "confirmed" })
      .send();
    expect(balance).toBe(SOL + 1n);

    const landed = await kit.rpc
      .getTransaction(signature, {
        commitment: "confirmed",
        maxSupportedTransactionVersion: 0,
        encoding: "json",
      })
      .send();
    expect(landed?.version).toBe(0);
    expect(landed?.meta?.err).toBeNull();
    const lookups =
      landed && "addressTableLookups" in landed.transaction.message
        ? landed.transaction.message.addressTableLookups
        : [];
    expect(lookups).toHaveLength(1);
    expect(lookups?.[0]?.accountKey).toBe(table);
    // The validator loads the table's entries in the order of the message's writable indexes.
    const loaded = (lookups?.[0]?.writableIndexes ?? []).map((i) => addressesByTable[table]?.[i]);
    expect([...loaded].sort()).toEqual([...recipients].sort());
    expect(landed?.meta?.loadedAddresses?.writable).toEqual(loaded);
    expect(landed?.meta?.loadedAddresses?.readonly).toEqual([]);
  });

  it("advances a durable nonce and lands a nonce transaction once", async () => {
    const nonceAccount = await generateKeyPairSigner();
    const rent = await kit.rpc.getMinimumBalanceForRentExemption(NONCE_ACCOUNT_SPACE).send();
    const created = await kit.send(payer, [
      getCreateAccountInstruction({
        payer,
        newAccount: nonceAccount,
        lamports: rent,
        space: NONCE_ACCOUNT_SPACE,
        programAddress: SYSTEM_PROGRAM_ADDRESS,
      }),
      getInitializeNonceAccountInstruction({
        nonceAccount: nonceAccount.address,
        nonceAuthority: payer.address,
      }),
    ]);
    const readNonce = async () =>
      (await fetchNonce(kit.rpc, nonceAccount.address, { commitment: "confirmed" })).data.blockhash;
    const initial = await readNonce();
    await waitForSlotAfterLanding(created);
    const advanced = await kit.send(payer, [
      getAdvanceNonceAccountInstruction({
        nonceAccount: nonceAccount.address,
        nonceAuthority: payer,
      }),
    ]);
    const afterAdvance = await readNonce();
    expect(afterAdvance).not.toBe(initial);
    await waitForSlotAfterLanding(advanced);

    const recipient = (await generateKeyPairSigner()).address;
    const signNonceTransaction = (amount: bigint) =>
      signTransactionMessageWithSigners(
        pipe(
          createTransactionMessage({ version: 0 }),
          (m) => setTransactionMessageFeePayerSigner(payer, m),
          (m) =>
            setTransactionMessageLifetimeUsingDurableNonce(
              {
                nonce: afterAdvance as string as Nonce,
                nonceAccountAddress: nonceAccount.address,
                nonceAuthorityAddress: payer.address,
              },
              m,
            ),
          (m) =>
            appendTransactionMessageInstructions(
              [getTransferSolInstruction({ source: payer, destination: recipient, amount })],
              m,
            ),
        ),
      );
    const sendAndConfirmNonce = sendAndConfirmDurableNonceTransactionFactory({
      rpc: kit.rpc,
      rpcSubscriptions: kit.rpcSubscriptions,
    });
    const first = await signNonceTransaction(SOL);
    await sendAndConfirmNonce(first as Parameters<typeof sendAndConfirmNonce>[0], {
      commitment: "confirmed",
    });
    const { value: balance } = await kit.rpc
      .getBalance(recipient, { commitment: "confirmed" })
      .send();
    expect(balance).toBe(SOL);
    expect(await readNonce()).not.toBe(afterAdvance);

    // The nonce it used is spent: a second transaction with it is refused.
    const second = getBase64EncodedWireTransaction(await signNonceTransaction(SOL + 1n));
    const error = await getErrorOf(
      kit.rpc
        .sendTransaction(second as Base64EncodedWireTransaction, { encoding: "base64" })
        .send(),
    );
    expect(
      isSolanaError(error, SOLANA_ERROR__JSON_RPC__SERVER_ERROR_SEND_TRANSACTION_PREFLIGHT_FAILURE),
    ).toBe(true);
    expect(
      isSolanaError(
        (error as { cause?: unknown }).cause,
        SOLANA_ERROR__TRANSACTION_ERROR__BLOCKHASH_NOT_FOUND,
      ),
    ).toBe(true);
  });

  it("notifies logsSubscribe (all, mentions) and programSubscribe for a transfer", async () => {
    const recipient = (await generateKeyPairSigner()).address;
    const abort = new AbortController();
    const collect = <T>(iterable: AsyncIterable<T>) => {
      const items: T[] = [];
      void (async () => {
        for await (const item of iterable) items.push(item);
      })().catch(() => {});
      return items;
    };
    const commitment = "confirmed" as const;
    const subscribe = { abortSignal: abort.signal };
    const all = collect(
      await kit.rpcSubscriptions.logsNotifications("all", { commitment }).subscribe(subscribe),
    );
    const mentions = collect(
      await kit.rpcSubscriptions
        .logsNotifications({ mentions: [recipient] }, { commitment })
        .subscribe(subscribe),
    );
    const program = collect(
      await kit.rpcSubscriptions
        .programNotifications(SYSTEM_PROGRAM_ADDRESS, { commitment, encoding: "base64" })
        .subscribe(subscribe),
    );
    try {
      const signature = await kit.send(payer, [
        getTransferSolInstruction({ source: payer, destination: recipient, amount: 2n * SOL }),
      ]);
      const fromAll = await waitFor(all, (n) => n.value.signature === signature);
      expect(fromAll.value.err).toBeNull();
      expect(fromAll.value.logs).toContain("Program 11111111111111111111111111111111 invoke [1]");
      const mentioned = await waitFor(mentions, (n) => n.value.signature === signature);
      expect(mentioned.value.logs).toContain("Program 11111111111111111111111111111111 success");
      expect(mentions.every((n) => n.value.signature === signature)).toBe(true);
      const changed = await waitFor(program, (n) => n.value.pubkey === recipient);
      expect(changed.value.account.lamports).toBe(2n * SOL);
      expect(changed.value.account.owner).toBe(SYSTEM_PROGRAM_ADDRESS);
      expect(changed.value.account.data).toEqual(["", "base64"]);
    } finally {
      abort.abort();
    }
  });

  it("reads the block of a transaction and its block time", async () => {
    const signature = await kit.send(payer, [
      getTransferSolInstruction({
        source: payer,
        destination: (await generateKeyPairSigner()).address,
        amount: SOL,
      }),
    ]);
    const landed = await kit.rpc
      .getTransaction(signature, {
        commitment: "confirmed",
        maxSupportedTransactionVersion: 0,
        encoding: "json",
      })
      .send();
    const slot = landed?.slot ?? 0n;
    const block = await kit.rpc
      .getBlock(slot, {
        commitment: "confirmed",
        maxSupportedTransactionVersion: 0,
        transactionDetails: "signatures",
        rewards: false,
      })
      .send();
    expect(block?.signatures).toContain(signature);
    expect(block?.parentSlot).toBe(slot - 1n);
    const parent = await kit.rpc
      .getBlock(slot - 1n, {
        commitment: "confirmed",
        maxSupportedTransactionVersion: 0,
        transactionDetails: "none",
        rewards: false,
      })
      .send();
    expect(block?.previousBlockhash).toBe(parent?.blockhash as Blockhash);
    const blockTime = await kit.rpc.getBlockTime(slot).send();
    expect(blockTime).toBe(block?.blockTime);
    expect(landed?.blockTime).toBe(blockTime);
    expect(Math.abs(Number(blockTime) - Date.now() / 1000)).toBeLessThan(60);
  });

  it("rejects a skipPreflight transaction's confirmation with the transaction's error", async () => {
    const poor = await generateKeyPairSigner();
    await kit.send(payer, [
      getTransferSolInstruction({ source: payer, destination: poor.address, amount: SOL / 10n }),
    ]);
    const { message } = await signBlockhashMessage(
      [
        getTransferSolInstruction({
          source: poor,
          destination: (await generateKeyPairSigner()).address,
          amount: SOL, // more than it holds
        }),
      ],
      poor,
    );
    const signed = await signTransactionMessageWithSigners(message);
    const error = await getErrorOf(
      sendAndConfirm(signed as Parameters<typeof sendAndConfirm>[0], {
        commitment: "confirmed",
        skipPreflight: true,
      }),
    );
    expect(isSolanaError(error, SOLANA_ERROR__INSTRUCTION_ERROR__CUSTOM)).toBe(true);
    expect((error as { context?: unknown }).context).toMatchObject({ code: 1, index: 0 });
    // kit rejects on the processed status's error, before the slot is confirmed: the fee shows at
    // processed now (at confirmed once the slot is), as on mainnet.
    const { value: balance } = await kit.rpc
      .getBalance(poor.address, { commitment: "processed" })
      .send();
    expect(balance).toBe(SOL / 10n - 5000n);
  });
});
