import type { Address } from "@solana/kit";
import { bytesToAddress } from "./base58.js";
import { getUiExtensions } from "./token-extensions.js";
import { readMint, readTokenAccount, TOKEN_2022_PROGRAM, toUiTokenAmount } from "./token-layout.js";

export interface ParsedAccountData {
  program: "spl-token" | "spl-token-2022";
  parsed: { type: "mint" | "account" | "multisig"; info: Record<string, unknown> };
  space: bigint;
}

const MULTISIG_SIZE = 355;
const MAX_SIGNERS = 11;
const DEFAULT_KEY = "11111111111111111111111111111111";

/** A token multisig (m, n, initialized, 11 signer slots); agave lists the non-default signers. */
function readMultisig(data: Uint8Array): Record<string, unknown> | null {
  if (data.length !== MULTISIG_SIZE || data[2] !== 1) return null;
  const signers = Array.from({ length: MAX_SIGNERS }, (_, i) =>
    bytesToAddress(data.subarray(3 + i * 32, 35 + i * 32)),
  ).filter((signer) => signer !== DEFAULT_KEY);
  return { numRequiredSigners: data[0], numValidSigners: data[1], isInitialized: true, signers };
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
  // Token-2022 never reads a multisig-sized buffer as an account or mint with extensions.
  if (data.length === MULTISIG_SIZE) {
    const multisig = readMultisig(data);
    return multisig ? { program, parsed: { type: "multisig", info: multisig }, space } : null;
  }
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
  if (mint?.isInitialized) {
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
