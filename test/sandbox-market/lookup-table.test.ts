import { type Address, getBase58Decoder, getCompiledTransactionMessageDecoder } from "@solana/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assembleSwapTransaction, postCosign } from "./assemble-swap-transaction.js";
import { type MarketSandbox, SOL_MINT, startMarketSandbox, tokenDelta } from "./market-helpers.js";

const LOOKUP_TABLE_PROGRAM = "AddressLookupTab1e1111111111111111111111111";
let env: MarketSandbox;

beforeAll(async () => {
  env = await startMarketSandbox({ bots: false });
});

afterAll(async () => {
  await env?.close();
});

const mint = (symbol: string) => env.market.mints[symbol] as Address;
const pool = (symbol: string) =>
  env.market.market.pools.all().find((p) => p.base.mint === mint(symbol));

/** The table as any client reads it over RPC: the 56-byte header, then 32 bytes per address. */
async function readTable(address: Address) {
  const { value } = await env.rpc.getAccountInfo(address, { encoding: "base64" }).send();
  if (!value) throw new Error(`no table at ${address}`);
  const data = Buffer.from(value.data[0], "base64");
  const base58 = getBase58Decoder();
  const addresses: Address[] = [];
  for (let at = 56; at + 32 <= data.length; at += 32)
    addresses.push(base58.decode(data.subarray(at, at + 32)) as Address);
  return { owner: value.owner, deactivationSlot: data.readBigUInt64LE(4), addresses };
}

function lookupsOf(base64Transaction: string) {
  const wire = Buffer.from(base64Transaction, "base64");
  const message = getCompiledTransactionMessageDecoder().decode(
    wire.subarray(1 + 64 * (wire[0] ?? 0)),
  );
  return "addressTableLookups" in message ? (message.addressTableLookups ?? []) : [];
}

describe("the sandbox market's address lookup table", () => {
  it("is created and extended at start with every pool's vaults, mints and programs", async () => {
    const address = env.market.market.lookupTable.address;
    const table = await readTable(address);
    expect(table.owner).toBe(LOOKUP_TABLE_PROGRAM);
    expect(table.deactivationSlot).toBe(2n ** 64n - 1n);
    const bonky = pool("BONKY");
    expect(bonky).toBeDefined();
    expect(table.addresses).toEqual(expect.arrayContaining([bonky?.base.address, mint("BONKY")]));
    expect(table.addresses).toContain("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA");
    for (const p of env.market.market.pools.all())
      expect(table.addresses).toContain(p.base.address);
    expect(table.addresses).toEqual([...env.market.market.lookupTable.addresses]);
  });

  it("is what /swap's v0 transaction loads the pool's vault and mint from; it lands as quoted", async () => {
    const user = await env.fundedUser();
    const quote = await env.jupiter.quoteGet({
      inputMint: SOL_MINT,
      outputMint: mint("BONKY"),
      amount: 50_000_000,
    });
    const { response, tx } = await env.swap(user, quote);
    const lookups = lookupsOf(response.swapTransaction);
    expect(lookups.map((l) => l.lookupTableAddress)).toEqual([
      env.market.market.lookupTable.address,
    ]);
    expect(tx.version).toBe(0);
    expect(tx.meta?.loadedAddresses?.writable).toContain(pool("BONKY")?.base.address);
    expect(tx.meta?.loadedAddresses?.readonly).toContain(mint("BONKY"));
    // Signers and invoked programs can never come from a table.
    expect(tx.transaction.message.accountKeys).toContain(pool("BONKY")?.id);
    expect(tx.transaction.message.accountKeys).toContain(
      "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA",
    );
    expect(tokenDelta(tx, user.address, mint("BONKY"))).toBe(BigInt(quote.outAmount));
  });

  it("carries a transfer hook's program and validation account, which the swap then loads", async () => {
    const user = await env.fundedUser();
    const hooked = env.market.risky.HOOK as Address;
    const quote = await env.jupiter.quoteGet({
      inputMint: SOL_MINT,
      outputMint: hooked,
      amount: 20_000_000,
    });
    const { tx } = await env.swap(user, quote);
    const hookPool = env.market.market.pools.all().find((p) => p.base.mint === hooked);
    const loaded = [
      ...(tx.meta?.loadedAddresses?.writable ?? []),
      ...(tx.meta?.loadedAddresses?.readonly ?? []),
    ];
    expect(loaded).toEqual(expect.arrayContaining([hookPool?.base.address, hooked]));
    // Token-2022 invokes the hook: a program named only as an account can be loaded.
    const hookAccounts = env.market.market.lookupTable.addresses.filter(
      (a) => !env.market.market.pools.all().some((p) => p.base.address === a || p.base.mint === a),
    );
    expect(loaded.filter((a) => hookAccounts.includes(a as Address)).length).toBe(2);
    expect(tokenDelta(tx, user.address, hooked)).toBe(BigInt(quote.outAmount));
  });

  it("is named by /swap-instructions; a client compiles with it and the pool co-signs", async () => {
    const user = await env.fundedUser();
    const quote = await env.jupiter.quoteGet({
      inputMint: SOL_MINT,
      outputMint: mint("WIFY"),
      amount: 30_000_000,
    });
    const parts = await env.jupiter.swapInstructionsPost({
      swapRequest: { quoteResponse: quote, userPublicKey: user.address },
    });
    expect(parts.addressLookupTableAddresses).toEqual([env.market.market.lookupTable.address]);
    const tables: Record<Address, Address[]> = {};
    for (const address of parts.addressLookupTableAddresses)
      tables[address as Address] = (await readTable(address as Address)).addresses;
    const { value: latest } = await env.rpc.getLatestBlockhash({ commitment: "confirmed" }).send();
    const assembled = assembleSwapTransaction(
      user.address,
      latest,
      [...parts.computeBudgetInstructions, ...parts.setupInstructions, parts.swapInstruction],
      tables,
    );
    expect(lookupsOf(assembled)).toHaveLength(1);
    const answer = await postCosign(env.market.swapApiUrl, assembled);
    expect(answer.status).toBe(200);
    const { transaction } = (await answer.json()) as { transaction: string };
    const tx = await env.confirm(await env.signAndSend(user, transaction));
    expect(tx.meta?.loadedAddresses?.writable).toContain(pool("WIFY")?.base.address);
    expect(tokenDelta(tx, user.address, mint("WIFY"))).toBe(BigInt(quote.outAmount));
  });
});
