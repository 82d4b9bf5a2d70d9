import type { Address } from "@solana/kit";
import { getUiExtensions } from "./token-extensions.js";
import { readMint, readTokenAccount, TOKEN_2022_PROGRAM, toUiTokenAmount } from "./token-layout.js";

export interface ParsedAccountData {
  program: "spl-token" | "spl-token-2022";
  parsed: { type: "mint" | "account"; info: Record<string, unknown> };
  space: bigint;
}

/**
 * jsonParsed of a token mint or token account as agave renders it, or null when the data is
 * neither (the caller then falls back to base64, as mainnet does).
 */
export function parseTokenAccountData(
  owner: Address,
  data: Uint8Array,
  getMintDecimals: (mint: Address) => number | null,
): ParsedAccountData | null {
  const is2022 = owner === TOKEN_2022_PROGRAM;
  const program = is2022 ? "spl-token-2022" : "spl-token";
  const space = BigInt(data.length);
  const token = readTokenAccount(data);
  if (token) {
    const decimals = getMintDecimals(token.mint);
    if (decimals === null) return null;
    const info: Record<string, unknown> = {
      isNative: token.isNative !== null,
      mint: token.mint,
      owner: token.owner,
      state: token.state,
      tokenAmount: toUiTokenAmount(token.amount, decimals),
    };
    if (token.delegate) {
      info.delegate = token.delegate;
      info.delegatedAmount = toUiTokenAmount(token.delegatedAmount, decimals);
    }
    if (token.isNative !== null) info.rentExemptReserve = toUiTokenAmount(token.isNative, decimals);
    if (token.closeAuthority) info.closeAuthority = token.closeAuthority;
    if (is2022 && data.length > 165) info.extensions = getUiExtensions(data, "account");
    return { program, parsed: { type: "account", info }, space };
  }
  const mint = readMint(data);
  if (mint) {
    const info: Record<string, unknown> = {
      decimals: mint.decimals,
      freezeAuthority: mint.freezeAuthority,
      isInitialized: mint.isInitialized,
      mintAuthority: mint.mintAuthority,
      supply: mint.supply.toString(),
    };
    if (is2022 && data.length > 165) info.extensions = getUiExtensions(data, "mint");
    return { program, parsed: { type: "mint", info }, space };
  }
  return null;
}
