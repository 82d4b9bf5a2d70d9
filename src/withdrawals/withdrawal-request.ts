import { createHash } from "node:crypto";
import { type Address, isAddress } from "../core/addresses.js";
import { U64_MAX } from "../core/amounts.js";
import type { WalletId } from "../core/ids.js";
import { OspreyError } from "../core/osprey-error.js";
import { SOL_MINT } from "../trading/price-client.js";

/** The body of POST /v1/wallets/:id/withdrawals, validated. */
export interface WithdrawalRequest {
  readonly to: Address;
  readonly amount: bigint;
  /** Null: SOL (also when the body names the wrapped-SOL mint, as orders do). */
  readonly mint: Address | null;
}

function field(body: Record<string, unknown>, name: string): unknown {
  return Object.hasOwn(body, name) ? body[name] : undefined;
}

/** Refuses bad input with a code before anything is read or written. */
export function parseWithdrawalRequest(body: unknown): WithdrawalRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw new OspreyError("INVALID_INPUT", "The body must be {to, amount, mint?}.");
  const record = body as Record<string, unknown>;
  const to = field(record, "to");
  if (!isAddress(to))
    throw new OspreyError("INVALID_ADDRESS", "to must be a base58 address of 32 bytes.", {
      field: "to",
    });
  const mint = field(record, "mint");
  if (mint !== undefined && mint !== null && !isAddress(mint))
    throw new OspreyError("INVALID_ADDRESS", "mint must be a base58 token mint address.", {
      field: "mint",
    });
  const amount = field(record, "amount");
  if (typeof amount !== "string" || !/^[0-9]{1,20}$/.test(amount))
    throw new OspreyError(
      "INVALID_AMOUNT",
      "amount must be a whole number of base units (lamports or the token's), as a string of digits.",
      { field: "amount" },
    );
  const value = BigInt(amount);
  if (value === 0n || value > U64_MAX)
    throw new OspreyError("INVALID_AMOUNT", "amount must be above zero and fit in 64 bits.", {
      field: "amount",
    });
  return {
    to,
    amount: value,
    mint: mint === undefined || mint === null || mint === SOL_MINT ? null : mint,
  };
}

/** What makes two requests "the same" under one idempotency key. */
export function getWithdrawalRequestHash(walletId: WalletId, request: WithdrawalRequest): string {
  const normal = [walletId, request.to, request.mint ?? "SOL", request.amount.toString()];
  return createHash("sha256").update(JSON.stringify(normal)).digest("hex");
}
