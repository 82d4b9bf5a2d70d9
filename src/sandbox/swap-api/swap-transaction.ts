import type { Instruction } from "@solana/kit";
import {
  getSetComputeUnitLimitInstruction,
  getSetComputeUnitPriceInstruction,
} from "@solana-program/compute-budget";
import { BLOCKHASH_VALIDITY_BLOCKS } from "../index.js";
import { choosePriorityFee } from "./priority-fee.js";
import type { QuoteEngine } from "./quote-engine.js";
import { planSwap, type SwapPlan } from "./swap-plan.js";
import type { SwapParams } from "./swap-request.js";
import {
  getMessageBytes,
  getPartiallySignedWire,
  getWireBytes,
  type SwapMessage,
} from "./wire-transaction.js";

/** Jupiter's default when the caller does not ask for a simulated limit. */
export const DEFAULT_COMPUTE_UNIT_LIMIT = 1_400_000;

export interface BuiltSwap {
  plan: SwapPlan;
  computeBudget: Instruction[];
  computeUnitLimit: number;
  computeUnitPriceMicroLamports: bigint;
  prioritizationFeeLamports: bigint;
  /** Set when the simulation for a dynamic limit failed: the transaction would fail as built. */
  simulationError: unknown;
}

export interface SignedSwap extends BuiltSwap {
  swapTransaction: string;
  lastValidBlockHeight: bigint;
}

function compile(
  engine: QuoteEngine,
  params: SwapParams,
  instructions: Instruction[],
): SwapMessage {
  const { chain } = engine;
  const block = chain.getBlock(chain.getSlot("confirmed"));
  return {
    feePayer: params.userPublicKey,
    blockhash: block.blockhash,
    lastValidBlockHeight: block.blockHeight + BigInt(BLOCKHASH_VALIDITY_BLOCKS),
    instructions,
    lookupTable: engine.getLookupTable() ?? undefined,
  };
}

function budget(limit: number, price: bigint): Instruction[] {
  const list: Instruction[] = [getSetComputeUnitLimitInstruction({ units: limit })];
  if (price > 0n) list.push(getSetComputeUnitPriceInstruction({ microLamports: price }));
  return list;
}

/** Plans the swap and settles the compute budget (simulating for a dynamic limit). */
export async function buildSwap(engine: QuoteEngine, params: SwapParams): Promise<BuiltSwap> {
  const plan = await planSwap(engine, params);
  const body = [...plan.setup, plan.swap, ...(plan.cleanup ? [plan.cleanup] : [])];
  let limit = DEFAULT_COMPUTE_UNIT_LIMIT;
  let simulationError: unknown = null;
  if (params.dynamicComputeUnitLimit) {
    const message = compile(engine, params, [...budget(DEFAULT_COMPUTE_UNIT_LIMIT, 0n), ...body]);
    const { messageBytes, signerAddresses } = getMessageBytes(message);
    const wire = getWireBytes(messageBytes, signerAddresses);
    const result = engine.chain.simulateTransaction(engine.chain.decodeTransaction(wire));
    simulationError = result.err;
    // Jupiter-like headroom over the simulated use; the limit stays at the default if it failed.
    if (result.err === null)
      limit = Math.min(
        DEFAULT_COMPUTE_UNIT_LIMIT,
        Math.ceil(Number(result.unitsConsumed) * 1.2) + 5_000,
      );
  }
  const writable = [plan.route.pool.id, plan.route.pool.base.address];
  const price = choosePriorityFee(engine.chain, params.priority, limit, writable);
  return {
    plan,
    computeBudget: budget(limit, price),
    computeUnitLimit: limit,
    computeUnitPriceMicroLamports: price,
    prioritizationFeeLamports: (price * BigInt(limit) + 999_999n) / 1_000_000n,
    simulationError,
  };
}

/** The whole swap as one v0 transaction, signed by the pool authority, awaiting the user. */
export async function buildSwapTransaction(
  engine: QuoteEngine,
  params: SwapParams,
): Promise<SignedSwap> {
  const built = await buildSwap(engine, params);
  const { plan } = built;
  const message = compile(engine, params, [
    ...built.computeBudget,
    ...plan.setup,
    plan.swap,
    ...(plan.cleanup ? [plan.cleanup] : []),
  ]);
  const wire = await getPartiallySignedWire(message, engine.chain.rememberOwnSignature);
  return {
    ...built,
    swapTransaction: Buffer.from(wire.buffer, wire.byteOffset, wire.byteLength).toString("base64"),
    lastValidBlockHeight: message.lastValidBlockHeight,
  };
}
