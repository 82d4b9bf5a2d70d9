import type { Address } from "@solana/kit";
import type { SandboxChain } from "../../chain/sandbox-chain.js";
import { type MintBase, readMint, TOKEN_PROGRAM } from "../../encoding/token-layout.js";
import { invalidParams } from "../rpc-error.js";

export const NATIVE_MINT = "So11111111111111111111111111111111111111112" as Address;

export interface MintInfo {
  /** The mint account's owner: a token program for real mints (callers check). */
  program: Address;
  decimals: number;
  mint: MintBase | null;
}

/**
 * agave's `get_mint_owner_and_additional_data`: the native mint is known without a read;
 * otherwise a missing mint or one that does not unpack is a -32602 with the validator's wording.
 */
export function getMintInfo(chain: SandboxChain, mint: Address): MintInfo {
  if (mint === NATIVE_MINT) return { program: TOKEN_PROGRAM, decimals: 9, mint: null };
  const account = chain.getAccount(mint);
  if (!account) throw invalidParams("Invalid param: could not find mint");
  const parsed = readMint(account.data);
  if (!parsed?.isInitialized)
    throw invalidParams("Invalid param: Token mint could not be unpacked");
  return { program: account.owner, decimals: parsed.decimals, mint: parsed };
}
