import type { Address, KeyPairSigner } from "@solana/kit";
import type { SandboxChain } from "../index.js";

export const NATIVE_MINT = "So11111111111111111111111111111111111111112" as Address;
export const SYSTEM_PROGRAM = "11111111111111111111111111111111" as Address;

/**
 * One side of a pool. SOL sits as the authority's own lamports (so paying SOL out is a plain
 * System transfer it signs), plus any wrapped SOL users paid into its wSOL account; tokens sit in
 * the authority's associated token account.
 */
export type PoolVault =
  | { kind: "lamports"; mint: typeof NATIVE_MINT; address: Address; wsolAccount: Address }
  | { kind: "token"; mint: Address; address: Address; program: Address };

/** A constant-product pool whose reserves are real accounts held by `authority`. */
export interface Pool {
  /** The ammKey of routes through this pool: its authority's address. */
  id: Address;
  label: string;
  authority: KeyPairSigner;
  feeBps: number;
  /** The traded token. */
  base: PoolVault & { kind: "token" };
  /**
   * How base tokens move: plain transfers, or (for a non-transferable mint, whose tokens cannot
   * move at all) burn on one side and mint on the other, with the authority as mint authority.
   */
  baseMode: "transfer" | "mint-burn";
  /** Thaw the buyer's account in the swap (default-frozen mints; the authority holds freeze). */
  thawBuyer: boolean;
  /** SOL or the stable it is priced in. */
  quote: PoolVault;
}

export interface PoolReserves {
  base: bigint;
  quote: bigint;
}

/** Amount of an SPL Token / Token-2022 account (bytes 64..72), 0 when absent or not a token account. */
export function readTokenAmount(chain: SandboxChain, address: Address): bigint {
  const data = chain.getAccount(address)?.data;
  if (!data || data.length < 165) return 0n;
  return new DataView(data.buffer, data.byteOffset, data.byteLength).getBigUint64(64, true);
}

/** Whether the token account exists and is frozen (state byte 108 = 2). */
export function isTokenAccountFrozen(chain: SandboxChain, address: Address): boolean {
  const data = chain.getAccount(address)?.data;
  return data !== undefined && data.length >= 165 && data[108] === 2;
}

export function readVaultReserve(chain: SandboxChain, vault: PoolVault): bigint {
  if (vault.kind === "token") return readTokenAmount(chain, vault.address);
  const lamports = chain.getAccount(vault.address)?.lamports ?? 0n;
  // The authority must stay rent-exempt, so its floor is not part of the reserve.
  const spendable = lamports - chain.minimumBalanceForRentExemption(0);
  return (spendable > 0n ? spendable : 0n) + readTokenAmount(chain, vault.wsolAccount);
}

/** Current reserves, read from the chain's latest state (every landed swap moves the price). */
export function readPoolReserves(chain: SandboxChain, pool: Pool): PoolReserves {
  return { base: readVaultReserve(chain, pool.base), quote: readVaultReserve(chain, pool.quote) };
}
