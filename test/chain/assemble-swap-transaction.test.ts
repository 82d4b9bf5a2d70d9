import {
  AccountRole,
  type Address,
  decompileTransactionMessage,
  generateKeyPairSigner,
  getBase64EncodedWireTransaction,
  getCompiledTransactionMessageDecoder,
  getTransactionDecoder,
  type Instruction,
  type Signature,
  signTransaction,
} from "@solana/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  assembleSwapTransaction,
  getPriorityFeeLamports,
  type SwapInstructions,
} from "../../src/chain/assemble-swap-transaction.js";
import { JITO_DONT_FRONT } from "../../src/chain/jito-dont-front.js";
import { getComputeUnitLimit } from "../../src/trading/compute-units.js";
import { readFill } from "../../src/trading/read-fill.js";
import { postCosign, toKitInstruction } from "../sandbox-market/assemble-swap-transaction.js";
import {
  lamportDelta,
  type MarketSandbox,
  SOL_MINT,
  startMarketSandbox,
  tokenDelta,
} from "../sandbox-market/market-helpers.js";

/** The message's instructions as kit decompiles them, lookups resolved through `tables`. */
function decompile(wire: Uint8Array, tables: SwapInstructions["addressesByLookupTableAddress"]) {
  const compiled = getCompiledTransactionMessageDecoder().decode(
    wire.subarray(1 + 64 * (wire[0] ?? 0)),
  );
  const message = decompileTransactionMessage(compiled, {
    addressesByLookupTableAddress: tables as Record<Address, Address[]>,
  });
  return {
    compiled,
    feePayer: message.feePayer.address,
    instructions: (message.instructions as readonly Instruction[]).map((ix) => ({
      programAddress: ix.programAddress,
      accounts: (ix.accounts ?? []).map((a) => ({ address: a.address, role: a.role })),
      data: Uint8Array.from(ix.data ?? []),
    })),
  };
}

let env: MarketSandbox;
beforeAll(async () => {
  env = await startMarketSandbox({ bots: false });
});
afterAll(async () => {
  await env?.close();
});

/** A buy's instructions from the sandbox's /swap-instructions, with the market's lookup table. */
async function swapParts(user: Address, symbol: string, amount: number) {
  const outputMint = env.market.mints[symbol] as Address;
  const quote = await env.jupiter.quoteGet({ inputMint: SOL_MINT, outputMint, amount });
  const parts = await env.jupiter.swapInstructionsPost({
    swapRequest: { quoteResponse: quote, userPublicKey: user },
  });
  const table = env.market.market.lookupTable;
  const { value: latest } = await env.rpc.getLatestBlockhash({ commitment: "confirmed" }).send();
  const swap: SwapInstructions = {
    setupInstructions: parts.setupInstructions.map(toKitInstruction),
    swapInstruction: toKitInstruction(parts.swapInstruction),
    cleanupInstruction: parts.cleanupInstruction
      ? toKitInstruction(parts.cleanupInstruction)
      : null,
    // The response's own budget instructions must be dropped: put one among the others.
    otherInstructions: parts.computeBudgetInstructions.map(toKitInstruction),
    addressesByLookupTableAddress: { [table.address]: table.addresses },
    blockhash: latest.blockhash,
  };
  return { quote, swap, outputMint, lastValidBlockHeight: latest.lastValidBlockHeight };
}

describe("assembleSwapTransaction", () => {
  it("compiles what kit decompiles to the same instructions: budget, swap, tip with the guard", async () => {
    const user = await env.fundedUser();
    const tipAccount = (await generateKeyPairSigner()).address;
    const { swap } = await swapParts(user.address, "WIFY", 20_000_000);
    const assembled = assembleSwapTransaction({
      swap,
      payer: user.address,
      computeUnitLimit: 120_000,
      computeUnitPriceMicroLamports: 12_345n,
      tip: { lamports: 10_000n, account: tipAccount },
    });
    expect(assembled.priorityFeeLamports).toBe(getPriorityFeeLamports(12_345n, 120_000));
    expect(assembled.priorityFeeLamports).toBe(1_482n); // 1481.4 rounded up
    const { compiled, feePayer, instructions } = decompile(
      assembled.wire,
      swap.addressesByLookupTableAddress,
    );
    expect(feePayer).toBe(user.address);
    expect(assembled.signers).toBe(compiled.header.numSignerAccounts);
    // Every signature slot is empty.
    expect(assembled.wire.subarray(1, assembled.messageOffset).every((b) => b === 0)).toBe(true);
    expect("addressTableLookups" in compiled && compiled.addressTableLookups).toHaveLength(1);
    const [limit, price, ...rest] = instructions;
    expect(limit?.data).toEqual(Uint8Array.from([2, 0xc0, 0xd4, 0x01, 0x00]));
    expect(price?.data[0]).toBe(3);
    const body = [...swap.setupInstructions, swap.swapInstruction];
    // A message holds one role per account: the widest any instruction gives it.
    const merged = new Map<string, number>([[user.address, AccountRole.WRITABLE_SIGNER]]);
    for (const ix of body)
      for (const a of ix.accounts ?? [])
        merged.set(a.address, (merged.get(a.address) ?? 0) | a.role);
    expect(rest.slice(0, body.length)).toEqual(
      body.map((ix) => ({
        programAddress: ix.programAddress,
        accounts: (ix.accounts ?? []).map((a) => ({
          address: a.address,
          role: merged.get(a.address),
        })),
        data: Uint8Array.from(ix.data ?? []),
      })),
    );
    const tip = rest[body.length];
    expect(rest).toHaveLength(body.length + 1); // the response's budget instructions are gone
    expect(tip?.accounts).toEqual([
      { address: user.address, role: AccountRole.WRITABLE_SIGNER },
      { address: tipAccount, role: AccountRole.WRITABLE },
      { address: JITO_DONT_FRONT, role: AccountRole.READONLY },
    ]);
  });

  it("lands on the sandbox: simulated unsigned for its units, co-signed, signed, tip and fees as set", async () => {
    const user = await env.fundedUser();
    // A tip account exists and is rent-exempt, as Jito's are.
    const tipAccount = (await env.fundedUser(1_000_000_000n)).address;
    const { quote, swap, outputMint } = await swapParts(user.address, "BONKY", 50_000_000);

    const unsigned = assembleSwapTransaction({
      swap,
      payer: user.address,
      computeUnitLimit: 1_400_000,
      computeUnitPriceMicroLamports: 0n,
    });
    const simulation = await env.rpc
      .simulateTransaction(
        getBase64EncodedWireTransaction(getTransactionDecoder().decode(unsigned.wire)),
        { encoding: "base64", sigVerify: false, replaceRecentBlockhash: true },
      )
      .send();
    expect(simulation.value.err).toBeNull();
    const units = Number(simulation.value.unitsConsumed);
    expect(units).toBeGreaterThan(0);
    const limit = getComputeUnitLimit(units);
    expect(limit).toBe(Math.ceil(units * 1.2) + 5_000);

    const assembled = assembleSwapTransaction({
      swap,
      payer: user.address,
      computeUnitLimit: limit,
      computeUnitPriceMicroLamports: 100_000n,
      tip: { lamports: 5_000n, account: tipAccount },
    });
    const answer = await postCosign(
      env.market.swapApiUrl,
      Buffer.from(assembled.wire).toString("base64"),
    );
    expect(answer.status, await answer.clone().text()).toBe(200);
    const { transaction } = (await answer.json()) as { transaction: string };
    const decoded = getTransactionDecoder().decode(Buffer.from(transaction, "base64"));
    const signed = await signTransaction([user.keyPair], decoded);
    const signature = await env.rpc
      .sendTransaction(getBase64EncodedWireTransaction(signed), { encoding: "base64" })
      .send();
    const tx = await env.confirm(signature);
    expect(tokenDelta(tx, user.address, outputMint)).toBe(BigInt(quote.outAmount));
    expect(lamportDelta(tx, tipAccount)).toBe(5_000n);
    expect(tx.meta?.loadedAddresses?.writable.length).toBeGreaterThan(0);
    const priority = getPriorityFeeLamports(100_000n, limit);
    expect(BigInt(tx.meta?.fee ?? 0n)).toBe(5_000n * BigInt(assembled.signers) + priority);
    expect(Number(tx.meta?.computeUnitsConsumed)).toBeLessThanOrEqual(limit);

    // What the engine records at CONFIRMED, read back from the landed transaction.
    const fill = await readFill(env.rpc, signature as Signature, {
      owner: user.address,
      mint: outputMint,
      feeAccount: null,
    });
    expect(fill).toMatchObject({
      networkFee: BigInt(tx.meta?.fee ?? 0n),
      priorityFee: priority,
      tip: 5_000n,
      tokenDelta: BigInt(quote.outAmount),
    });
  });

  it("refuses a limit the runtime would not take", async () => {
    const { swap } = await swapParts((await env.fundedUser()).address, "WIFY", 1_000_000);
    const payer = (await generateKeyPairSigner()).address;
    for (const computeUnitLimit of [0, 1_400_001, 1.5])
      expect(() =>
        assembleSwapTransaction({
          swap,
          payer,
          computeUnitLimit,
          computeUnitPriceMicroLamports: 0n,
        }),
      ).toThrow(RangeError);
  });
});
