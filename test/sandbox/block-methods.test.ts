import { address, createNoopSigner, createSolanaRpc } from "@solana/kit";
import {
  AddressLookupTableProgram,
  Connection,
  Keypair,
  LAMPORTS_PER_SOL,
  type ParsedBlockResponse,
  type ParsedInstruction,
  PublicKey,
  SystemProgram,
  Transaction,
  TransactionInstruction,
  TransactionMessage,
  type VersionedAccountsModeBlockResponse,
  VersionedTransaction,
} from "@solana/web3.js";
import * as splToken from "@solana-program/token";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSandbox, startSandbox } from "../../src/sandbox/index.js";
import { rawRpc } from "./rpc-helpers.js";
import { toWeb3Instruction } from "./to-web3-instruction.js";

const MEMO_PROGRAM = new PublicKey("MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr");
const START_SLOT = 600_000n;

let sandbox: RunningSandbox;
let url: string;
let connection: Connection;
const payer = Keypair.generate();
const recipient = Keypair.generate().publicKey;
/** The slot holding the three transactions below, in this order. */
let blockSlot: bigint;
let signatures: { airdrop: string; legacy: string; v0: string };

function sendLegacyWithMemo(blockhash: string): string {
  const tx = new Transaction({ feePayer: payer.publicKey, recentBlockhash: blockhash }).add(
    SystemProgram.transfer({
      fromPubkey: payer.publicKey,
      toPubkey: recipient,
      lamports: 1_000_000,
    }),
    new TransactionInstruction({ programId: MEMO_PROGRAM, keys: [], data: Buffer.from("hello") }),
  );
  tx.sign(payer);
  const result = sandbox.chain.sendTransaction(tx.serialize());
  if (result.err !== null) throw new Error(`legacy send failed: ${JSON.stringify(result.err)}`);
  return result.signature;
}

function sendV0(blockhash: string): string {
  const message = new TransactionMessage({
    payerKey: payer.publicKey,
    recentBlockhash: blockhash,
    instructions: [
      SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: recipient, lamports: 7_000 }),
    ],
  }).compileToV0Message();
  const tx = new VersionedTransaction(message);
  tx.sign([payer]);
  const result = sandbox.chain.sendTransaction(tx.serialize());
  if (result.err !== null) throw new Error(`v0 send failed: ${JSON.stringify(result.err)}`);
  return result.signature;
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, manualClock: true, startSlot: START_SLOT });
  url = sandbox.rpcUrls[0] as string;
  connection = new Connection(url, "confirmed");
  sandbox.chain.advance(3);
  blockSlot = sandbox.chain.getSlot("processed");
  const blockhash = sandbox.chain.getBlock(blockSlot).blockhash;
  const airdrop = sandbox.chain.airdrop(
    address(payer.publicKey.toBase58()),
    2n * BigInt(LAMPORTS_PER_SOL),
  );
  signatures = { airdrop, legacy: sendLegacyWithMemo(blockhash), v0: sendV0(blockhash) };
  sandbox.chain.advance(1);
});

afterAll(async () => {
  await sandbox.close();
});

describe("getBlock", () => {
  it("web3.js v1 reads the block: transactions in order, parent, hashes, height and time", async () => {
    const block = await connection.getBlock(Number(blockSlot), {
      commitment: "confirmed",
      maxSupportedTransactionVersion: 0,
    });
    if (!block) throw new Error("no block");
    const parent = sandbox.chain.getBlock(blockSlot - 1n);
    const own = sandbox.chain.getBlock(blockSlot);
    expect(block.transactions.map((t) => t.transaction.signatures[0])).toEqual([
      signatures.airdrop,
      signatures.legacy,
      signatures.v0,
    ]);
    expect(block.parentSlot).toBe(Number(blockSlot - 1n));
    expect(block.previousBlockhash).toBe(parent.blockhash);
    expect(block.blockhash).toBe(own.blockhash);
    expect(block.blockTime).toBe(own.blockTime);
    expect(block.transactions.map((t) => t.version)).toEqual(["legacy", "legacy", 0]);
    expect(block.transactions[2]?.meta?.loadedAddresses).toEqual({ writable: [], readonly: [] });
    expect(block.rewards).toEqual([]);
  });

  it("a v0 transaction without maxSupportedTransactionVersion is -32015 with agave's wording", async () => {
    const { body } = await rawRpc(url, "getBlock", [
      Number(blockSlot),
      { commitment: "confirmed" },
    ]);
    expect(body.error).toEqual({
      code: -32015,
      message:
        'Transaction version (0) is not supported by the requesting client. Please try the request again with the following configuration parameter: "maxSupportedTransactionVersion": 0',
    });
    // Signatures alone need no version check.
    const signaturesOnly = await rawRpc(url, "getBlock", [
      Number(blockSlot),
      { commitment: "confirmed", transactionDetails: "signatures", rewards: false },
    ]);
    expect(signaturesOnly.body.result.signatures).toEqual([
      signatures.airdrop,
      signatures.legacy,
      signatures.v0,
    ]);
    expect(signaturesOnly.body.result).not.toHaveProperty("rewards");
    expect(signaturesOnly.body.result).not.toHaveProperty("transactions");
  });

  it("getParsedBlock parses system and memo instructions and marks account sources", async () => {
    // web3.js's overloads type a config-less getParsedBlock as the accounts mode; the wire is full.
    const block = (await connection.getParsedBlock(Number(blockSlot), {
      commitment: "confirmed",
      maxSupportedTransactionVersion: 0,
      transactionDetails: "full",
    })) as unknown as ParsedBlockResponse;
    const legacy = block.transactions[1];
    if (!legacy) throw new Error("missing transaction");
    const [transfer, memo] = legacy.transaction.message.instructions as ParsedInstruction[];
    expect(transfer?.program).toBe("system");
    expect(transfer?.parsed).toEqual({
      type: "transfer",
      info: {
        source: payer.publicKey.toBase58(),
        destination: recipient.toBase58(),
        lamports: 1_000_000,
      },
    });
    expect(memo?.program).toBe("spl-memo");
    expect(memo?.parsed).toBe("hello");
    const keys = legacy.transaction.message.accountKeys;
    const system = keys.find((k) => k.pubkey.equals(SystemProgram.programId));
    expect(system).toMatchObject({ signer: false, writable: false, source: "transaction" });
    expect(keys[0]).toMatchObject({ signer: true, writable: true });
  });

  it("transactionDetails accounts and none have agave's shapes", async () => {
    const accounts = (await connection.getBlock(Number(blockSlot), {
      commitment: "confirmed",
      maxSupportedTransactionVersion: 0,
      transactionDetails: "accounts",
    })) as VersionedAccountsModeBlockResponse | null;
    const first = accounts?.transactions[1];
    expect(first?.transaction.signatures).toEqual([signatures.legacy]);
    expect(first?.transaction.accountKeys[0]?.pubkey.toBase58()).toBe(payer.publicKey.toBase58());
    const { body } = await rawRpc(url, "getBlock", [
      Number(blockSlot),
      {
        commitment: "confirmed",
        transactionDetails: "accounts",
        maxSupportedTransactionVersion: 0,
      },
    ]);
    const meta = body.result.transactions[1].meta;
    expect(Object.keys(meta).sort()).toEqual(
      [
        "err",
        "fee",
        "postBalances",
        "postTokenBalances",
        "preBalances",
        "preTokenBalances",
        "rewards",
        "status",
      ].sort(),
    );
    const none = await connection.getBlock(Number(blockSlot), {
      commitment: "confirmed",
      transactionDetails: "none",
      rewards: false,
    });
    expect(none?.blockhash).toBe(sandbox.chain.getBlock(blockSlot).blockhash);
    const raw = await rawRpc(url, "getBlock", [
      Number(blockSlot),
      { commitment: "confirmed", transactionDetails: "none", rewards: false },
    ]);
    expect(raw.body.result).toEqual({
      previousBlockhash: sandbox.chain.getBlock(blockSlot - 1n).blockhash,
      blockhash: sandbox.chain.getBlock(blockSlot).blockhash,
      parentSlot: Number(blockSlot - 1n),
      blockTime: sandbox.chain.getBlock(blockSlot).blockTime,
      blockHeight: Number(sandbox.chain.getBlock(blockSlot).blockHeight),
    });
  });

  it("@solana/kit decodes json, jsonParsed and base64 blocks", async () => {
    const rpc = createSolanaRpc(url);
    const json = await rpc
      .getBlock(blockSlot, { commitment: "confirmed", maxSupportedTransactionVersion: 0 })
      .send();
    expect(json?.parentSlot).toBe(blockSlot - 1n);
    expect(json?.blockHeight).toBe(sandbox.chain.getBlock(blockSlot).blockHeight);
    expect(json?.transactions.map((t) => t.transaction.signatures[0])).toEqual([
      signatures.airdrop,
      signatures.legacy,
      signatures.v0,
    ]);
    const parsed = await rpc
      .getBlock(blockSlot, {
        commitment: "confirmed",
        encoding: "jsonParsed",
        maxSupportedTransactionVersion: 0,
      })
      .send();
    expect(parsed?.transactions[2]?.transaction.message.accountKeys[0]?.source).toBe("transaction");
    const base64 = await rpc
      .getBlock(blockSlot, {
        commitment: "confirmed",
        encoding: "base64",
        maxSupportedTransactionVersion: 0,
      })
      .send();
    const [wire] = base64?.transactions[1]?.transaction ?? [];
    const decoded = Transaction.from(Buffer.from(wire ?? "", "base64"));
    expect(decoded.signature && Buffer.from(decoded.signature).length).toBe(64);
  });

  it("refuses processed, unavailable and cleaned-up slots with agave's codes and messages", async () => {
    const processed = await rawRpc(url, "getBlock", [
      Number(blockSlot),
      { commitment: "processed" },
    ]);
    expect(processed.body.error).toEqual({
      code: -32602,
      message: "Method does not support commitment below `confirmed`",
    });
    const tip = sandbox.chain.getSlot("processed");
    const future = await rawRpc(url, "getBlock", [Number(tip), { commitment: "confirmed" }]);
    expect(future.body.error).toEqual({
      code: -32004,
      message: `Block not available for slot ${tip}`,
    });
    // Not yet finalized: the default commitment does not see it.
    const unfinalized = await rawRpc(url, "getBlock", [Number(blockSlot)]);
    expect(unfinalized.body.error.code).toBe(-32004);
    const first = await connection.getFirstAvailableBlock();
    const old = await rawRpc(url, "getBlock", [first - 1, { commitment: "confirmed" }]);
    expect(old.body.error).toEqual({
      code: -32001,
      message: `Block ${first - 1} cleaned up, does not exist on node. First available block: ${first}`,
    });
  });
});

describe("block ranges, times and the ledger's bounds", () => {
  it("getBlocks and getBlocksWithLimit list sealed slots up to the commitment's slot", async () => {
    const confirmed = sandbox.chain.getSlot("confirmed");
    const blocks = await connection.getBlocks(Number(blockSlot) - 2, undefined, "confirmed");
    expect(blocks).toEqual(
      Array.from(
        { length: Number(confirmed - blockSlot) + 3 },
        (_, i) => Number(blockSlot) - 2 + i,
      ),
    );
    const limited = await rawRpc(url, "getBlocksWithLimit", [
      Number(blockSlot) - 2,
      2,
      { commitment: "confirmed" },
    ]);
    expect(limited.body.result).toEqual([Number(blockSlot) - 2, Number(blockSlot) - 1]);
    // Finalized (the default) stops at the root, 32 slots behind.
    const finalized = await rawRpc(url, "getBlocks", [Number(blockSlot) - 2]);
    expect(finalized.body.result.at(-1) ?? null).not.toBe(Number(blockSlot));
  });

  it("refuses a range wider than 500,000 slots and a larger limit", async () => {
    const tooWide = await rawRpc(url, "getBlocks", [
      0,
      Number(START_SLOT) + 10,
      { commitment: "confirmed" },
    ]);
    expect(tooWide.body.error).toEqual({
      code: -32602,
      message: "Slot range too large; max 500000",
    });
    const tooMany = await rawRpc(url, "getBlocksWithLimit", [0, 500_001]);
    expect(tooMany.body.error).toEqual({ code: -32602, message: "Limit too large; max 500000" });
  });

  it("getBlockTime answers for sealed and current slots and refuses future ones", async () => {
    expect(await connection.getBlockTime(Number(blockSlot))).toBe(
      sandbox.chain.getBlock(blockSlot).blockTime,
    );
    const future = Number(sandbox.chain.getSlot("processed")) + 10;
    const { body } = await rawRpc(url, "getBlockTime", [future]);
    expect(body.error).toEqual({ code: -32004, message: `Block not available for slot ${future}` });
  });

  it("getFirstAvailableBlock and minimumLedgerSlot report the same retained bound", async () => {
    const rpc = createSolanaRpc(url);
    const first = await rpc.getFirstAvailableBlock().send();
    expect(await rpc.minimumLedgerSlot().send()).toBe(first);
    expect(first).toBeGreaterThanOrEqual(START_SLOT);
    expect(first).toBeLessThanOrEqual(blockSlot - 1n);
  });
});

describe("getTransaction and getSignaturesForAddress agree with the block", () => {
  it("web3.js reads a v0 transaction with version and loadedAddresses, and refuses it without", async () => {
    const tx = await connection.getTransaction(signatures.v0, {
      commitment: "confirmed",
      maxSupportedTransactionVersion: 0,
    });
    expect(tx?.slot).toBe(Number(blockSlot));
    expect(tx?.version).toBe(0);
    expect(tx?.blockTime).toBe(sandbox.chain.getBlock(blockSlot).blockTime);
    expect(tx?.meta?.loadedAddresses).toEqual({ writable: [], readonly: [] });
    await expect(
      connection.getTransaction(signatures.v0, { commitment: "confirmed" }),
    ).rejects.toThrow(/Transaction version \(0\) is not supported/);
    const legacy = await rawRpc(url, "getTransaction", [
      signatures.legacy,
      { commitment: "confirmed" },
    ]);
    expect(legacy.body.result).not.toHaveProperty("version");
  });

  it("getSignaturesForAddress lists the block's transactions newest first, with memos", async () => {
    const list = await connection.getSignaturesForAddress(payer.publicKey, undefined, "confirmed");
    expect(list.map((s) => s.signature)).toEqual([
      signatures.v0,
      signatures.legacy,
      signatures.airdrop,
    ]);
    expect(list.map((s) => s.memo)).toEqual([null, "[5] hello", null]);
    expect(list.every((s) => s.slot === Number(blockSlot))).toBe(true);
    const { body } = await rawRpc(url, "getSignaturesForAddress", [
      payer.publicKey.toBase58(),
      { limit: 1001 },
    ]);
    expect(body.error).toEqual({ code: -32602, message: "Invalid limit; max 1000" });
  });
});

describe("a v0 transaction through a lookup table, in a block", () => {
  it("shows loadedAddresses, lookupTable sources and the parsed table instructions", async () => {
    const chain = sandbox.chain;
    const extra = Keypair.generate().publicKey;
    const [create, table] = AddressLookupTableProgram.createLookupTable({
      authority: payer.publicKey,
      payer: payer.publicKey,
      recentSlot: Number(chain.getSlot("processed") - 1n),
    });
    const extend = AddressLookupTableProgram.extendLookupTable({
      lookupTable: table,
      authority: payer.publicKey,
      payer: payer.publicKey,
      addresses: [recipient, extra],
    });
    const setup = new Transaction({
      feePayer: payer.publicKey,
      recentBlockhash: chain.getBlock(chain.getSlot("processed")).blockhash,
    }).add(create, extend);
    setup.sign(payer);
    const setupResult = chain.sendTransaction(setup.serialize());
    expect(setupResult.err).toBeNull();
    const setupSlot = chain.getSlot("processed");
    chain.advance(1);

    const lookup = (await connection.getAddressLookupTable(table, { commitment: "processed" }))
      .value;
    if (!lookup) throw new Error("lookup table not found");
    const message = new TransactionMessage({
      payerKey: payer.publicKey,
      recentBlockhash: chain.getBlock(chain.getSlot("processed")).blockhash,
      instructions: [
        SystemProgram.transfer({
          fromPubkey: payer.publicKey,
          toPubkey: recipient,
          lamports: 3_000,
        }),
      ],
    }).compileToV0Message([lookup]);
    const tx = new VersionedTransaction(message);
    tx.sign([payer]);
    const sent = chain.sendTransaction(tx.serialize());
    expect(sent.err).toBeNull();
    const slot = chain.getSlot("processed");
    chain.advance(1);

    const json = await rawRpc(url, "getBlock", [
      Number(slot),
      { commitment: "confirmed", maxSupportedTransactionVersion: 0 },
    ]);
    const [entry] = json.body.result.transactions;
    expect(entry.version).toBe(0);
    expect(entry.meta.loadedAddresses).toEqual({ writable: [recipient.toBase58()], readonly: [] });
    expect(entry.transaction.message.addressTableLookups).toEqual([
      { accountKey: table.toBase58(), writableIndexes: [0], readonlyIndexes: [] },
    ]);
    expect(entry.transaction.message.accountKeys).not.toContain(recipient.toBase58());

    const parsed = (await connection.getParsedBlock(Number(slot), {
      commitment: "confirmed",
      maxSupportedTransactionVersion: 0,
      transactionDetails: "full",
    })) as unknown as ParsedBlockResponse;
    const keys = parsed.transactions[0]?.transaction.message.accountKeys ?? [];
    expect(keys.map((k) => [k.pubkey.toBase58(), k.writable, k.source])).toContainEqual([
      recipient.toBase58(),
      true,
      "lookupTable",
    ]);
    const transfer = parsed.transactions[0]?.transaction.message
      .instructions[0] as ParsedInstruction;
    expect(transfer.parsed.info.destination).toBe(recipient.toBase58());

    const viaWeb3 = await connection.getTransaction(sent.signature, {
      commitment: "confirmed",
      maxSupportedTransactionVersion: 0,
    });
    expect(viaWeb3?.meta?.loadedAddresses?.writable.map((k) => k.toBase58())).toEqual([
      recipient.toBase58(),
    ]);

    const setupBlock = (await connection.getParsedBlock(Number(setupSlot), {
      commitment: "confirmed",
      maxSupportedTransactionVersion: 0,
      transactionDetails: "full",
    })) as unknown as ParsedBlockResponse;
    const setupTx = setupBlock.transactions.find(
      (t) => t.transaction.signatures[0] === setupResult.signature,
    );
    const [createIx, extendIx] = (setupTx?.transaction.message.instructions ??
      []) as ParsedInstruction[];
    expect(createIx?.program).toBe("address-lookup-table");
    expect(createIx?.parsed.type).toBe("createLookupTable");
    expect(createIx?.parsed.info.lookupTableAccount).toBe(table.toBase58());
    expect(extendIx?.parsed).toEqual({
      type: "extendLookupTable",
      info: {
        lookupTableAccount: table.toBase58(),
        lookupTableAuthority: payer.publicKey.toBase58(),
        payerAccount: payer.publicKey.toBase58(),
        systemProgram: SystemProgram.programId.toBase58(),
        newAddresses: [recipient.toBase58(), extra.toBase58()],
      },
    });
  });
});

describe("token instructions and their inner instructions, parsed", () => {
  it("getParsedTransaction names the ATA create, its CPIs, mintTo and the token balances", async () => {
    const chain = sandbox.chain;
    const mint = Keypair.generate();
    const owner = address(payer.publicKey.toBase58());
    const mintAddress = address(mint.publicKey.toBase58());
    const [ata] = await splToken.findAssociatedTokenPda({
      owner,
      mint: mintAddress,
      tokenProgram: splToken.TOKEN_PROGRAM_ADDRESS,
    });
    const payerSigner = createNoopSigner(owner);
    const tx = new Transaction({
      feePayer: payer.publicKey,
      recentBlockhash: chain.getBlock(chain.getSlot("processed")).blockhash,
    }).add(
      SystemProgram.createAccount({
        fromPubkey: payer.publicKey,
        newAccountPubkey: mint.publicKey,
        lamports: Number(chain.minimumBalanceForRentExemption(82)),
        space: 82,
        programId: new PublicKey(splToken.TOKEN_PROGRAM_ADDRESS),
      }),
      toWeb3Instruction(
        splToken.getInitializeMint2Instruction({
          mint: mintAddress,
          decimals: 6,
          mintAuthority: owner,
        }),
      ),
      toWeb3Instruction(
        splToken.getCreateAssociatedTokenIdempotentInstruction({
          payer: payerSigner,
          ata,
          owner,
          mint: mintAddress,
        }),
      ),
      toWeb3Instruction(
        splToken.getMintToInstruction({
          mint: mintAddress,
          token: ata,
          mintAuthority: payerSigner,
          amount: 2_500_000n,
        }),
      ),
    );
    tx.sign(payer, mint);
    const sent = chain.sendTransaction(tx.serialize());
    expect(sent.err).toBeNull();
    chain.advance(1);

    const parsed = await connection.getParsedTransaction(sent.signature, {
      commitment: "confirmed",
    });
    if (!parsed) throw new Error("transaction not found");
    const types = (parsed.transaction.message.instructions as ParsedInstruction[]).map(
      (ix) => `${ix.program}:${ix.parsed.type}`,
    );
    expect(types).toEqual([
      "system:createAccount",
      "spl-token:initializeMint2",
      "spl-associated-token-account:createIdempotent",
      "spl-token:mintTo",
    ]);
    const inner = parsed.meta?.innerInstructions?.find((group) => group.index === 2);
    expect(
      ((inner?.instructions ?? []) as ParsedInstruction[]).map(
        (ix) => `${ix.program}:${ix.parsed.type}`,
      ),
    ).toEqual([
      "spl-token:getAccountDataSize",
      "system:createAccount",
      "spl-token:initializeImmutableOwner",
      "spl-token:initializeAccount3",
    ]);
    expect(parsed.meta?.postTokenBalances).toEqual([
      expect.objectContaining({
        mint: mintAddress,
        owner,
        uiTokenAmount: expect.objectContaining({
          amount: "2500000",
          decimals: 6,
          uiAmountString: "2.5",
        }),
      }),
    ]);
    const mintTo = (parsed.transaction.message.instructions as ParsedInstruction[])[3];
    expect(mintTo?.parsed.info).toEqual({
      mint: mintAddress,
      account: ata,
      mintAuthority: owner,
      amount: "2500000",
    });
  });
});

describe("on a running clock, a transaction sent over RPC is in its block", () => {
  it("web3.js sends and confirms; getTransaction, getBlock and getBlockTime agree", async () => {
    const running = await startSandbox({ port: 0, slotMs: 50 });
    try {
      const rpcUrl = running.rpcUrls[0] as string;
      const live = new Connection(rpcUrl, {
        commitment: "confirmed",
        wsEndpoint: running.wsUrls[0] as string,
      });
      const sender = Keypair.generate();
      const airdrop = await live.requestAirdrop(sender.publicKey, LAMPORTS_PER_SOL);
      const first = await live.getLatestBlockhash();
      await live.confirmTransaction({ signature: airdrop, ...first }, "confirmed");
      const latest = await live.getLatestBlockhash();
      const tx = new Transaction({ feePayer: sender.publicKey, ...latest }).add(
        SystemProgram.transfer({
          fromPubkey: sender.publicKey,
          toPubkey: recipient,
          lamports: 1_000_000,
        }),
      );
      tx.sign(sender);
      const signature = await live.sendRawTransaction(tx.serialize());
      await live.confirmTransaction({ signature, ...latest }, "confirmed");
      const fetched = await live.getTransaction(signature, { maxSupportedTransactionVersion: 0 });
      if (!fetched) throw new Error("transaction not found at confirmed");
      const block = await live.getBlock(fetched.slot, { maxSupportedTransactionVersion: 0 });
      expect(block?.transactions.map((t) => t.transaction.signatures[0])).toContain(signature);
      expect(block?.blockTime).toBe(fetched.blockTime);
      expect(await live.getBlockTime(fetched.slot)).toBe(fetched.blockTime);
      const history = await live.getSignaturesForAddress(sender.publicKey);
      expect(history[0]).toMatchObject({
        signature,
        slot: fetched.slot,
        blockTime: fetched.blockTime,
      });
      const slots = await live.getBlocks(fetched.slot - 1, fetched.slot + 1, "confirmed");
      expect(slots).toContain(fetched.slot);
    } finally {
      await running.close();
    }
  });
});
