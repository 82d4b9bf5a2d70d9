import type { Address, Instruction } from "@solana/kit";
import { getSetComputeUnitPriceInstruction } from "@solana-program/compute-budget";
import { base58ToBytes } from "../encoding/base58.js";
import { BLOCKHASH_VALIDITY_BLOCKS } from "../index.js";
import { getOtherAmountThreshold } from "../market/route-math.js";
import type { CosignDesk } from "./cosign.js";
import { choosePriorityFee } from "./priority-fee.js";
import type { QuoteEngine } from "./quote-engine.js";
import { toQuoteResponse } from "./quote-request.js";
import { parseAddress, parseAmount, parseInteger } from "./request-values.js";
import { serializeInstruction } from "./serialize-instruction.js";
import { invalidRequest, SwapApiError } from "./swap-api-error.js";
import { planSwap } from "./swap-plan.js";
import { DEFAULT_COMPUTE_UNIT_LIMIT } from "./swap-transaction.js";

/** `GET /swap/v2/build`'s query, validated as Jupiter's: ExactIn only, `taker` required. */
export interface BuildParams {
  inputMint: Address;
  outputMint: Address;
  amount: bigint;
  taker: Address;
  slippageBps: number;
  platformFeeBps: number;
  feeAccount: Address | null;
  maxAccounts: number;
}

/** Jupiter's default route size bound. */
const DEFAULT_MAX_ACCOUNTS = 64;

export function parseBuildQuery(query: URLSearchParams): BuildParams {
  const get = (name: string) => query.get(name) ?? undefined;
  const swapMode = get("swapMode");
  if (swapMode !== undefined && swapMode !== "ExactIn")
    throw invalidRequest("/build supports swapMode ExactIn only");
  const platformFeeBps = parseInteger(get("platformFeeBps"), "platformFeeBps", 0, 9_999, 0);
  const feeAccountText = get("feeAccount");
  const feeAccount =
    feeAccountText === undefined || feeAccountText === ""
      ? null
      : parseAddress(feeAccountText, "feeAccount");
  if (platformFeeBps > 0 && !feeAccount)
    throw invalidRequest("feeAccount is required when platformFeeBps is greater than zero");
  return {
    inputMint: parseAddress(get("inputMint"), "inputMint"),
    outputMint: parseAddress(get("outputMint"), "outputMint"),
    amount: parseAmount(get("amount"), "amount"),
    taker: parseAddress(get("taker"), "taker"),
    slippageBps: parseInteger(get("slippageBps"), "slippageBps", 0, 10_000, 50),
    platformFeeBps,
    feeAccount,
    maxAccounts: parseInteger(get("maxAccounts"), "maxAccounts", 1, 256, DEFAULT_MAX_ACCOUNTS),
  };
}

function countAccounts(instructions: readonly Instruction[]): number {
  const seen = new Set<string>();
  for (const ix of instructions) {
    seen.add(ix.programAddress);
    for (const meta of ix.accounts ?? []) seen.add(meta.address);
  }
  return seen.size;
}

/**
 * The quote and the swap's instructions in one answer, from the same pools and plan as v1's
 * `/swap-instructions`: amounts fixed now (the payout is what the plan says whenever it lands),
 * a compute-unit price only (v2 leaves the limit to the caller), the market's lookup table
 * resolved, and the chain's latest confirmed blockhash. The issued set is registered with the
 * cosign desk, so the validator adds the pool authority's signature when the transaction arrives.
 */
export async function buildV2(
  engine: QuoteEngine,
  cosign: CosignDesk,
  params: BuildParams,
  started: number,
  now: () => number,
) {
  const { chain } = engine;
  const plan = await planSwap(engine, {
    userPublicKey: params.taker,
    wrapAndUnwrapSol: true,
    feeAccount: params.feeAccount,
    destinationTokenAccount: null,
    nativeDestinationAccount: null,
    dynamicComputeUnitLimit: false,
    priority: { kind: "auto" },
    quote: {
      inputMint: params.inputMint,
      outputMint: params.outputMint,
      inAmount: params.amount,
      // Unused for ExactIn; the threshold is set from this very route below.
      outAmount: 0n,
      otherAmountThreshold: 0n,
      swapMode: "ExactIn",
      slippageBps: params.slippageBps,
      platformFeeBps: params.platformFeeBps,
    },
  });
  const issued = [...plan.setup, plan.swap, ...(plan.cleanup ? [plan.cleanup] : [])];
  if (countAccounts(issued) > params.maxAccounts) {
    throw new SwapApiError(
      "COULD_NOT_FIND_ANY_ROUTE",
      `Could not find any route within maxAccounts ${params.maxAccounts}`,
    );
  }
  const { pool } = plan.route;
  const price = choosePriorityFee(chain, { kind: "auto" }, DEFAULT_COMPUTE_UNIT_LIMIT, [
    pool.id,
    pool.base.address,
  ]);
  const table = engine.getLookupTable();
  const block = chain.getBlock(chain.getSlot("confirmed"));
  const quote = toQuoteResponse(
    {
      inputMint: params.inputMint,
      outputMint: params.outputMint,
      amount: params.amount,
      slippageBps: params.slippageBps,
      swapMode: "ExactIn",
      platformFeeBps: params.platformFeeBps,
      onlyDirectRoutes: false,
    },
    plan.route,
    (now() - started) / 1000,
  );
  cosign.issue(pool, issued);
  const fetchedAt = now();
  return {
    ...quote,
    otherAmountThreshold: getOtherAmountThreshold(
      "ExactIn",
      plan.route.amounts.outAmount,
      params.slippageBps,
    ).toString(),
    computeBudgetInstructions: [
      serializeInstruction(getSetComputeUnitPriceInstruction({ microLamports: price })),
    ],
    setupInstructions: plan.setup.map(serializeInstruction),
    swapInstruction: serializeInstruction(plan.swap),
    cleanupInstruction: plan.cleanup ? serializeInstruction(plan.cleanup) : null,
    otherInstructions: [],
    tipInstruction: null,
    addressesByLookupTableAddress: table ? { [table.address]: [...table.addresses] } : null,
    blockhashWithMetadata: {
      blockhash: [...(base58ToBytes(block.blockhash) ?? new Uint8Array(32))],
      lastValidBlockHeight: Number(block.blockHeight + BigInt(BLOCKHASH_VALIDITY_BLOCKS)),
      fetchedAt: {
        secs_since_epoch: Math.floor(fetchedAt / 1000),
        nanos_since_epoch: (fetchedAt % 1000) * 1_000_000,
      },
    },
  };
}
