/**
 * Transaction assembly on the order's latency path: Osprey's own v0 compiler
 * (`src/chain/assemble-swap-transaction.ts`) against kit's (`compileTransaction` after
 * `compressTransactionMessageUsingAddressLookupTables`, then the wire encoder), on the same swap
 * shape: a Swap API v2 answer's setup, swap and cleanup instructions naming 32 accounts, a lookup
 * table of 128 addresses holding 20 of them, Osprey's compute budget and a tip with the guard.
 * Fresh addresses every round, so neither side's caches hide the base58 work a new route costs;
 * then the same route again (programs and pools repeat from order to order).
 * Run: npx tsx bench/assemble.ts [--rounds 2000]
 */
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import {
  AccountRole,
  type Address,
  appendTransactionMessageInstructions,
  type Blockhash,
  compileTransaction,
  compressTransactionMessageUsingAddressLookupTables,
  createTransactionMessage,
  generateKeyPairSigner,
  getBase64EncodedWireTransaction,
  type Instruction,
  pipe,
  setTransactionMessageFeePayer,
  setTransactionMessageLifetimeUsingBlockhash,
} from "@solana/kit";
import {
  assembleSwapTransaction,
  getSetComputeUnitLimitInstruction,
  getSetComputeUnitPriceInstruction,
  getTipInstruction,
  type SwapInstructions,
} from "../src/chain/assemble-swap-transaction.js";

const { values } = parseArgs({ options: { rounds: { type: "string", default: "2000" } } });
const ROUNDS = Number(values.rounds);

async function addresses(n: number): Promise<Address[]> {
  return Promise.all(
    Array.from({ length: n }, async () => (await generateKeyPairSigner()).address),
  );
}

async function makeSwap() {
  const [payer, tipAccount, blockhash, table, ...accounts] = await addresses(4 + 32);
  const tableAddresses = [...(await addresses(108)), ...accounts.slice(0, 20)];
  const ix = (program: Address, metas: Address[], writable: number): Instruction => ({
    programAddress: program,
    accounts: [
      { address: payer as Address, role: AccountRole.WRITABLE_SIGNER },
      ...metas.map((address, i) => ({
        address,
        role: i < writable ? AccountRole.WRITABLE : AccountRole.READONLY,
      })),
    ],
    data: new Uint8Array(40).fill(7),
  });
  const a = accounts as Address[];
  const swap: SwapInstructions = {
    setupInstructions: [ix(a[0] as Address, a.slice(1, 7), 2)],
    swapInstruction: ix(a[7] as Address, a.slice(8, 30), 10),
    cleanupInstruction: ix(a[30] as Address, a.slice(31, 32), 1),
    otherInstructions: [],
    addressesByLookupTableAddress: { [table as Address]: tableAddresses },
    blockhash: blockhash as string,
  };
  return { swap, payer: payer as Address, tipAccount: tipAccount as Address };
}

type Shape = Awaited<ReturnType<typeof makeSwap>>;

function ours({ swap, payer, tipAccount }: Shape): number {
  return assembleSwapTransaction({
    swap,
    payer,
    computeUnitLimit: 180_000,
    computeUnitPriceMicroLamports: 25_000n,
    tip: { lamports: 10_000n, account: tipAccount },
  }).wire.length;
}

function kits({ swap, payer, tipAccount }: Shape): number {
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayer(payer, m),
    (m) =>
      setTransactionMessageLifetimeUsingBlockhash(
        { blockhash: swap.blockhash as Blockhash, lastValidBlockHeight: 0n },
        m,
      ),
    (m) =>
      appendTransactionMessageInstructions(
        [
          getSetComputeUnitLimitInstruction(180_000),
          getSetComputeUnitPriceInstruction(25_000n),
          ...swap.setupInstructions,
          swap.swapInstruction,
          ...(swap.cleanupInstruction ? [swap.cleanupInstruction] : []),
          getTipInstruction(payer, tipAccount, 10_000n),
        ],
        m,
      ),
  );
  const compressed = compressTransactionMessageUsingAddressLookupTables(
    message,
    swap.addressesByLookupTableAddress as Record<Address, Address[]>,
  );
  return getBase64EncodedWireTransaction(compileTransaction(compressed)).length;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function measure(name: string, run: (shape: Shape) => number, fresh: boolean) {
  const shapes = fresh
    ? await Promise.all(Array.from({ length: ROUNDS }, makeSwap))
    : Array.from({ length: ROUNDS }, () => null);
  const same = await makeSwap();
  for (let i = 0; i < 50; i++) run(await makeSwap()); // warm the JIT
  const times: number[] = [];
  for (const shape of shapes) {
    const start = performance.now();
    run(shape ?? same);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const us = (ms: number) => `${(ms * 1000).toFixed(0)} µs`;
  console.log(
    `${name.padEnd(32)} p50 ${us(percentile(times, 50)).padStart(8)}  p99 ${us(percentile(times, 99)).padStart(8)}`,
  );
}

console.log(`assembly of one swap transaction, ${ROUNDS} rounds each`);
await measure("osprey, new route", ours, true);
await measure("kit, new route", kits, true);
await measure("osprey, same route", ours, false);
await measure("kit, same route", kits, false);
