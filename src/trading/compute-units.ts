import type { Address, Rpc, SimulateTransactionApi } from "@solana/kit";
import { ASSOCIATED_TOKEN_PROGRAM_ADDRESS, findAssociatedTokenPda } from "@solana-program/token";
import {
  assembleSwapTransaction,
  MAX_COMPUTE_UNIT_LIMIT,
  type SwapInstructions,
} from "../chain/assemble-swap-transaction.js";
import { OspreyError } from "../core/osprey-error.js";
import { describeTransactionError } from "./describe-transaction-error.js";

/**
 * Headroom over simulated units: ×1.2 because a route's cost moves with the pools' state between
 * the simulation and the landing (price ticks crossed, accounts touched), and the cached figure
 * serves later orders on the same route; +5,000 for what the simulation does not run (the tip
 * transfer, 150 units) and small fixed differences (a compute-budget instruction, 150 each).
 * The same rule Jupiter applies to its dynamic limit.
 */
export function getComputeUnitLimit(unitsConsumed: number): number {
  return Math.min(MAX_COMPUTE_UNIT_LIMIT, Math.ceil(unitsConsumed * 1.2) + 5_000);
}

/** What the runtime charges per candidate a program-address search tries (create_program_address). */
const BUMP_ATTEMPT_UNITS = 1_500;

/**
 * The units this swap's token-account creations spend searching for their bump seeds on chain:
 * the associated token program tries 255, 254, … until the address is off the curve, and each
 * wallet's account stops at another bump. A figure simulated for one wallet does not bound
 * another's, so an order that reuses it adds its own search (an upper bound: the simulated
 * wallet's search is in the figure already). Found when an order using another wallet's figure
 * ran out of units on chain.
 */
async function getBumpSearchUnits(swap: SwapInstructions): Promise<number> {
  let units = 0;
  for (const ix of swap.setupInstructions) {
    if (ix.programAddress !== ASSOCIATED_TOKEN_PROGRAM_ADDRESS) continue;
    const [, account, owner, mint, , tokenProgram] = (ix.accounts ?? []).map((a) => a.address);
    if (!account || !owner || !mint || !tokenProgram) continue;
    const [derived, bump] = await findAssociatedTokenPda({ owner, mint, tokenProgram });
    if (derived === account) units += (255 - bump) * BUMP_ATTEMPT_UNITS;
  }
  return units;
}

export interface ComputeUnitKey {
  readonly side: "buy" | "sell";
  /** The route's pools, in order. */
  readonly pools: readonly string[];
  /** Whether the setup creates an account (a token account costs more units than none). */
  readonly createsAccount: boolean;
}

const keyOf = (key: ComputeUnitKey) =>
  `${key.side}|${key.pools.join(",")}|${key.createsAccount ? "create" : "reuse"}`;

/**
 * Units per route, learned from simulations: a route is simulated (unsigned, `sigVerify: false`,
 * `replaceRecentBlockhash: true`) only the first time it is seen, then its limit is a lookup.
 * The largest use simulated is kept, so a cheaper run never lowers the limit of a dearer one.
 */
export function createComputeUnitCache(options: {
  readonly rpc: Rpc<SimulateTransactionApi>;
  readonly maxEntries?: number;
}) {
  const units = new Map<string, number>();
  const maxEntries = options.maxEntries ?? 10_000;

  function remember(key: string, used: number): void {
    const known = units.get(key) ?? 0;
    if (used <= known) return;
    if (units.size >= maxEntries && !units.has(key)) {
      const oldest = units.keys().next().value;
      if (oldest !== undefined) units.delete(oldest);
    }
    units.set(key, used);
  }

  async function simulate(swap: SwapInstructions, payer: Address): Promise<number> {
    const { wire } = assembleSwapTransaction({
      swap,
      payer,
      computeUnitLimit: MAX_COMPUTE_UNIT_LIMIT,
      computeUnitPriceMicroLamports: 0n,
    });
    const base64 = Buffer.from(wire).toString("base64") as Parameters<
      Rpc<SimulateTransactionApi>["simulateTransaction"]
    >[0];
    const { value } = await options.rpc
      .simulateTransaction(base64, {
        encoding: "base64",
        sigVerify: false,
        replaceRecentBlockhash: true,
        commitment: "processed",
      })
      .send();
    if (value.err !== null)
      throw new OspreyError("SWAP_SIMULATION_FAILED", describeTransactionError(value.err), {
        logs: (value.logs ?? []).slice(-5),
      });
    if (value.unitsConsumed === undefined)
      throw new OspreyError("RPC_ENDPOINT_ERROR", "The simulation did not report its units.");
    return Number(value.unitsConsumed);
  }

  return {
    /** The compute-unit limit for this swap: cached per route, else simulated now. */
    async getLimit(key: ComputeUnitKey, swap: SwapInstructions, payer: Address): Promise<number> {
      const id = keyOf(key);
      // A swap that creates no account costs less than the same route creating one: the
      // latter's figure is a safe limit, and spares a simulation round trip on the order path.
      const known =
        units.get(id) ??
        (key.createsAccount ? undefined : units.get(keyOf({ ...key, createsAccount: true })));
      if (known !== undefined) {
        const search = key.createsAccount ? await getBumpSearchUnits(swap) : 0;
        return Math.min(MAX_COMPUTE_UNIT_LIMIT, getComputeUnitLimit(known) + search);
      }
      // Each order simulates its own swap: a failure (its funds, its accounts) is its own.
      const used = await simulate(swap, payer);
      remember(id, used);
      return getComputeUnitLimit(used);
    },
  };
}

export type ComputeUnitCache = ReturnType<typeof createComputeUnitCache>;
