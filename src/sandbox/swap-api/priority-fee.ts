import type { Address } from "@solana/kit";
import type { SandboxChain } from "../index.js";
import type { PriorityRequest } from "./swap-request.js";

const PERCENTILE = { medium: 0.5, high: 0.75, veryHigh: 0.95 } as const;
/** Cap of "auto", as Jupiter bounds its automatic priority fee. */
const AUTO_MAX_LAMPORTS = 5_000_000n;

/** Compute-unit price (micro-lamports) for a request, from recent fees where asked to estimate. */
export function choosePriorityFee(
  chain: SandboxChain,
  request: PriorityRequest,
  limit: number,
  writable: readonly Address[],
): bigint {
  const units = BigInt(limit);
  switch (request.kind) {
    case "price":
      return request.microLamports;
    case "lamports":
      return (request.lamports * 1_000_000n) / units;
    case "level":
    case "auto": {
      const level = request.kind === "level" ? request.level : "medium";
      const cap = request.kind === "level" ? request.maxLamports : AUTO_MAX_LAMPORTS;
      const fees = chain
        .getRecentPrioritizationFees(writable, chain.getSlot("processed"))
        .map((entry) => entry.fee)
        .sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
      const pick =
        fees[Math.min(fees.length - 1, Math.floor(fees.length * PERCENTILE[level]))] ?? 0n;
      const ceiling = (cap * 1_000_000n) / units;
      return pick < ceiling ? pick : ceiling;
    }
    default:
      return request satisfies never;
  }
}
