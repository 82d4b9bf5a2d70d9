import {
  AccountRole,
  type AddressesByLookupTableAddress,
  type Address as KitAddress,
} from "@solana/kit";
import { z } from "zod";
import { type Address, isAddress } from "../core/addresses.js";
import { U64_MAX } from "../core/amounts.js";
import { bytesToBase58 } from "../core/base58.js";
import { OspreyError } from "../core/osprey-error.js";
import { createKeepAliveFetch } from "./keep-alive-fetch.js";
import type { SwapAmounts } from "./swap-client.js";
import { toSwapResponseError, toSwapUnreachableError } from "./swap-errors.js";

/** `GET /swap/v2/build`'s query: ExactIn only (v2 has no swapMode). */
export interface BuildRequest {
  readonly inputMint: Address;
  readonly outputMint: Address;
  /** Exact input, in base units. */
  readonly amount: bigint;
  /** The wallet that swaps and pays the fees (v1's `userPublicKey`). */
  readonly taker: Address;
  /** Jupiter's default is 50 when the parameter is omitted; Osprey always sends it. */
  readonly slippageBps: number;
  readonly platformFeeBps?: number;
  /** Required when `platformFeeBps` > 0. */
  readonly feeAccount?: Address;
  readonly maxAccounts?: number;
}

/** An instruction as @solana/kit's `Instruction` (assignable to it), from Jupiter's JSON form. */
export interface SwapInstruction {
  readonly programAddress: KitAddress;
  readonly accounts: readonly { readonly address: KitAddress; readonly role: AccountRole }[];
  readonly data: Uint8Array;
}

/** ExactIn only: `otherAmountThreshold` is the least the swap may deliver. */
export interface BuiltSwapV2 extends SwapAmounts {
  readonly routePlan: readonly { readonly ammKey: Address; readonly label: string }[];
  /** v2 gives a compute-unit price only, never a limit: the caller sets its own. */
  readonly computeBudgetInstructions: readonly SwapInstruction[];
  readonly setupInstructions: readonly SwapInstruction[];
  readonly swapInstruction: SwapInstruction;
  readonly cleanupInstruction: SwapInstruction | null;
  readonly otherInstructions: readonly SwapInstruction[];
  readonly tipInstruction: SwapInstruction | null;
  /** The route's lookup tables, already resolved, as kit's compression takes them; {} when none. */
  readonly addressesByLookupTableAddress: AddressesByLookupTableAddress;
  /** base58. */
  readonly blockhash: string;
  readonly lastValidBlockHeight: bigint;
}

export interface SwapV2ClientOptions {
  /** The API root, e.g. `https://api.jup.ag/swap/v2`. */
  readonly baseUrl: string;
  readonly apiKey?: string;
  /** Replaces the keep-alive fetch (`keep-alive-fetch.ts`): tests, latency injection. */
  readonly fetch?: typeof fetch;
  /** Default 10 s. */
  readonly timeoutMs?: number;
}

const address = z
  .string()
  .refine((value: string): boolean => isAddress(value), "not a base58 public key");
const amount = z.string().regex(/^\d{1,20}$/, "not a whole number of base units");

const instructionSchema = z.object({
  programId: address,
  accounts: z.array(z.object({ pubkey: address, isSigner: z.boolean(), isWritable: z.boolean() })),
  data: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, "not base64"),
});

const buildResponseSchema = z.object({
  inputMint: address,
  outputMint: address,
  inAmount: amount,
  outAmount: amount,
  otherAmountThreshold: amount,
  swapMode: z.literal("ExactIn").optional(),
  slippageBps: z.number().int().min(0).max(10_000),
  // As v1's: either part may be missing; no amount means no fee was taken.
  platformFee: z
    .object({ amount: amount.optional(), feeBps: z.number().int().min(0).max(10_000).optional() })
    .nullish(),
  priceImpactPct: z.string().optional(),
  priceImpact: z.number().optional(),
  routePlan: z.array(
    z.object({ swapInfo: z.object({ ammKey: address, label: z.string().optional() }) }),
  ),
  computeBudgetInstructions: z.array(instructionSchema).nullish(),
  setupInstructions: z.array(instructionSchema).nullish(),
  swapInstruction: instructionSchema,
  cleanupInstruction: instructionSchema.nullish(),
  otherInstructions: z.array(instructionSchema).nullish(),
  tipInstruction: instructionSchema.nullish(),
  addressesByLookupTableAddress: z.record(address, z.array(address)).nullish(),
  blockhashWithMetadata: z.object({
    blockhash: z.array(z.number().int().min(0).max(255)).length(32),
    lastValidBlockHeight: z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]),
    fetchedAt: z.unknown().optional(),
  }),
});

type RawInstruction = z.infer<typeof instructionSchema>;

function toRole(isSigner: boolean, isWritable: boolean): AccountRole {
  if (isSigner) return isWritable ? AccountRole.WRITABLE_SIGNER : AccountRole.READONLY_SIGNER;
  return isWritable ? AccountRole.WRITABLE : AccountRole.READONLY;
}

function toInstruction(raw: RawInstruction): SwapInstruction {
  return {
    programAddress: raw.programId as KitAddress,
    accounts: raw.accounts.map((meta) => ({
      address: meta.pubkey as KitAddress,
      role: toRole(meta.isSigner, meta.isWritable),
    })),
    data: new Uint8Array(Buffer.from(raw.data, "base64")),
  };
}

function malformed(detail: string, context: Record<string, unknown> = {}): OspreyError {
  return new OspreyError("API_ERROR", `The swap API returned a malformed build: ${detail}.`, {
    operation: "build",
    ...context,
  });
}

function parseImpact(raw: {
  priceImpactPct?: string | undefined;
  priceImpact?: number | undefined;
}) {
  const value = raw.priceImpactPct !== undefined ? Number(raw.priceImpactPct) : raw.priceImpact;
  return value !== undefined && Number.isFinite(value) ? value : 0;
}

function toBuilt(body: unknown, request: BuildRequest): BuiltSwapV2 {
  const parsed = buildResponseSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw malformed(issue ? `${issue.path.join(".") || "body"} ${issue.message}` : "invalid", {
      field: issue?.path.join(".") ?? "",
    });
  }
  const raw = parsed.data;
  // An answer for another trade must never be signed.
  if (
    raw.inputMint !== request.inputMint ||
    raw.outputMint !== request.outputMint ||
    BigInt(raw.inAmount) !== request.amount
  ) {
    throw malformed("it is not for the requested trade");
  }
  const amounts = [raw.inAmount, raw.outAmount, raw.otherAmountThreshold].map(BigInt);
  if (amounts.some((value) => value > U64_MAX)) throw malformed("an amount exceeds u64");
  const [inAmount, outAmount, otherAmountThreshold] = amounts as [bigint, bigint, bigint];
  const tables: AddressesByLookupTableAddress = {};
  for (const [table, addresses] of Object.entries(raw.addressesByLookupTableAddress ?? {})) {
    tables[table as KitAddress] = addresses as KitAddress[];
  }
  const block = raw.blockhashWithMetadata;
  return {
    inputMint: raw.inputMint as Address,
    outputMint: raw.outputMint as Address,
    inAmount,
    outAmount,
    otherAmountThreshold,
    slippageBps: raw.slippageBps,
    priceImpact: parseImpact(raw),
    platformFee:
      raw.platformFee?.amount !== undefined
        ? {
            amount: BigInt(raw.platformFee.amount),
            feeBps: raw.platformFee.feeBps ?? request.platformFeeBps ?? 0,
          }
        : null,
    routePlan: raw.routePlan.map((step) => ({
      ammKey: step.swapInfo.ammKey as Address,
      label: step.swapInfo.label ?? "unknown",
    })),
    computeBudgetInstructions: (raw.computeBudgetInstructions ?? []).map(toInstruction),
    setupInstructions: (raw.setupInstructions ?? []).map(toInstruction),
    swapInstruction: toInstruction(raw.swapInstruction),
    cleanupInstruction: raw.cleanupInstruction ? toInstruction(raw.cleanupInstruction) : null,
    otherInstructions: (raw.otherInstructions ?? []).map(toInstruction),
    tipInstruction: raw.tipInstruction ? toInstruction(raw.tipInstruction) : null,
    addressesByLookupTableAddress: tables,
    blockhash: bytesToBase58(Uint8Array.from(block.blockhash)),
    lastValidBlockHeight: BigInt(block.lastValidBlockHeight),
  };
}

function invalid(message: string, field: string): OspreyError {
  return new OspreyError("INVALID_INPUT", message, { field });
}

function toQuery(request: BuildRequest): URLSearchParams {
  if (request.amount <= 0n || request.amount > U64_MAX)
    throw new OspreyError("INVALID_AMOUNT", "The amount must be above zero and fit in a u64.");
  const bps = (value: number, field: string, max: number) => {
    if (!Number.isInteger(value) || value < 0 || value > max)
      throw invalid(`${field} must be an integer from 0 to ${max}.`, field);
  };
  bps(request.slippageBps, "slippageBps", 10_000);
  const platformFeeBps = request.platformFeeBps ?? 0;
  bps(platformFeeBps, "platformFeeBps", 9_999);
  if (platformFeeBps > 0 && !request.feeAccount)
    throw invalid("feeAccount is required with platformFeeBps.", "feeAccount");
  if (
    request.maxAccounts !== undefined &&
    (!Number.isInteger(request.maxAccounts) || request.maxAccounts < 1 || request.maxAccounts > 256)
  )
    throw invalid("maxAccounts must be an integer from 1 to 256.", "maxAccounts");
  const query = new URLSearchParams({
    inputMint: request.inputMint,
    outputMint: request.outputMint,
    amount: request.amount.toString(),
    taker: request.taker,
    slippageBps: String(request.slippageBps),
  });
  if (platformFeeBps > 0 && request.feeAccount) {
    query.set("platformFeeBps", String(platformFeeBps));
    query.set("feeAccount", request.feeAccount);
  }
  if (request.maxAccounts !== undefined) query.set("maxAccounts", String(request.maxAccounts));
  return query;
}

/**
 * Jupiter's Swap API v2 `GET /build`: the quote and the swap's instructions in one round trip,
 * zod-validated, amounts as bigint, errors as OspreyError by status and `errorCode`.
 */
export function createSwapV2Client(options: SwapV2ClientOptions) {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const fetchImpl = options.fetch ?? createKeepAliveFetch();
  const timeoutMs = options.timeoutMs ?? 10_000;
  const headers: Record<string, string> = { accept: "application/json" };
  if (options.apiKey) headers["x-api-key"] = options.apiKey;

  return {
    async build(request: BuildRequest): Promise<BuiltSwapV2> {
      const url = `${baseUrl}/build?${toQuery(request).toString()}`;
      let response: Response;
      try {
        response = await fetchImpl(url, {
          method: "GET",
          headers,
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        throw toSwapUnreachableError(error, "build");
      }
      if (!response.ok) throw await toSwapResponseError(response, "build");
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        throw malformed("the body is not JSON");
      }
      return toBuilt(body, request);
    },
  };
}

export type SwapV2Client = ReturnType<typeof createSwapV2Client>;
