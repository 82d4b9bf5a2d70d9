import type { Address } from "@solana/kit";
import {
  parseAddress,
  parseAmount,
  parseBoolean,
  parseInteger,
  parseSwapMode,
} from "./request-values.js";
import { invalidRequest } from "./swap-api-error.js";

/** How the caller asked to pay for priority: an exact price, a lamport budget, or a level. */
export type PriorityRequest =
  | { kind: "price"; microLamports: bigint }
  | { kind: "lamports"; lamports: bigint }
  | { kind: "level"; level: "medium" | "high" | "veryHigh"; maxLamports: bigint }
  | { kind: "auto" };

export interface SwapParams {
  userPublicKey: Address;
  wrapAndUnwrapSol: boolean;
  feeAccount: Address | null;
  destinationTokenAccount: Address | null;
  nativeDestinationAccount: Address | null;
  dynamicComputeUnitLimit: boolean;
  priority: PriorityRequest;
  quote: {
    inputMint: Address;
    outputMint: Address;
    inAmount: bigint;
    outAmount: bigint;
    otherAmountThreshold: bigint;
    swapMode: "ExactIn" | "ExactOut";
    slippageBps: number;
    platformFeeBps: number;
  };
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function optionalAddress(body: Json, name: string): Address | null {
  const value = body[name];
  return value === undefined || value === null ? null : parseAddress(value, name);
}

function parsePriority(body: Json): PriorityRequest {
  if (
    body.computeUnitPriceMicroLamports !== undefined &&
    body.computeUnitPriceMicroLamports !== null
  ) {
    return {
      kind: "price",
      microLamports: parseAmount(
        body.computeUnitPriceMicroLamports,
        "computeUnitPriceMicroLamports",
        true,
      ),
    };
  }
  const fee = body.prioritizationFeeLamports;
  if (fee === undefined || fee === null || fee === "auto") return { kind: "auto" };
  if (typeof fee === "number" || typeof fee === "string") {
    return { kind: "lamports", lamports: parseAmount(fee, "prioritizationFeeLamports", true) };
  }
  if (isObject(fee) && isObject(fee.priorityLevelWithMaxLamports)) {
    const { priorityLevel, maxLamports } = fee.priorityLevelWithMaxLamports;
    if (priorityLevel !== "medium" && priorityLevel !== "high" && priorityLevel !== "veryHigh") {
      throw invalidRequest("priorityLevel must be medium, high or veryHigh");
    }
    return {
      kind: "level",
      level: priorityLevel,
      maxLamports: parseAmount(maxLamports, "maxLamports", true),
    };
  }
  // Jito tips have no meaning without Jito's block engine: the sandbox lands without them.
  if (isObject(fee) && ("jitoTipLamports" in fee || "jitoTipLamportsWithPayer" in fee))
    return { kind: "auto" };
  throw invalidRequest("prioritizationFeeLamports is not in a supported form");
}

/** `POST /swap` and `/swap-instructions` body → validated parameters. */
export function parseSwapBody(body: unknown): SwapParams {
  if (!isObject(body)) throw invalidRequest("The request body must be a JSON object");
  const quote = body.quoteResponse;
  if (!isObject(quote)) throw invalidRequest("quoteResponse is required");
  const platformFee = quote.platformFee;
  return {
    userPublicKey: parseAddress(body.userPublicKey, "userPublicKey"),
    wrapAndUnwrapSol: parseBoolean(body.wrapAndUnwrapSol, "wrapAndUnwrapSol", true),
    feeAccount: optionalAddress(body, "feeAccount"),
    destinationTokenAccount: optionalAddress(body, "destinationTokenAccount"),
    nativeDestinationAccount: optionalAddress(body, "nativeDestinationAccount"),
    dynamicComputeUnitLimit: parseBoolean(
      body.dynamicComputeUnitLimit,
      "dynamicComputeUnitLimit",
      false,
    ),
    priority: parsePriority(body),
    quote: {
      inputMint: parseAddress(quote.inputMint, "quoteResponse.inputMint"),
      outputMint: parseAddress(quote.outputMint, "quoteResponse.outputMint"),
      inAmount: parseAmount(quote.inAmount, "quoteResponse.inAmount"),
      outAmount: parseAmount(quote.outAmount, "quoteResponse.outAmount"),
      otherAmountThreshold: parseAmount(
        quote.otherAmountThreshold,
        "quoteResponse.otherAmountThreshold",
        true,
      ),
      swapMode: parseSwapMode(quote.swapMode),
      slippageBps: parseInteger(quote.slippageBps, "quoteResponse.slippageBps", 0, 10_000),
      platformFeeBps: isObject(platformFee)
        ? parseInteger(platformFee.feeBps, "quoteResponse.platformFee.feeBps", 0, 9_999, 0)
        : 0,
    },
  };
}
