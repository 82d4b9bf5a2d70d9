import type { Address } from "@solana/kit";
import { findExtension, type ParsedMint, presentAddress } from "./parse-mint-account.js";

/** Every mint-level authority that can change what holding the token means. */
export const AUTHORITY_KINDS = [
  "mintAuthority",
  "freezeAuthority",
  "permanentDelegate",
  "transferFeeConfigAuthority",
  "withdrawWithheldAuthority",
  "transferHookAuthority",
  "transferHookProgram",
  "closeAuthority",
  "pauseAuthority",
  "confidentialTransferAuthority",
  "interestRateAuthority",
  "scaledUiAmountAuthority",
] as const;

export type AuthorityKind = (typeof AUTHORITY_KINDS)[number];
export type MintAuthorities = Readonly<Record<AuthorityKind, Address | null>>;

const option = (value: { __option: "Some"; value: Address } | { __option: "None" } | undefined) =>
  value?.__option === "Some" ? presentAddress(value.value) : null;

export function getMintAuthorities(mint: ParsedMint): MintAuthorities {
  const fee = findExtension(mint, "TransferFeeConfig");
  const hook = findExtension(mint, "TransferHook");
  const interest = findExtension(mint, "InterestBearingConfig");
  const scaled = findExtension(mint, "ScaledUiAmountConfig");
  return {
    mintAuthority: mint.mintAuthority,
    freezeAuthority: mint.freezeAuthority,
    permanentDelegate: presentOrNull(findExtension(mint, "PermanentDelegate")?.delegate),
    transferFeeConfigAuthority: presentOrNull(fee?.transferFeeConfigAuthority),
    withdrawWithheldAuthority: presentOrNull(fee?.withdrawWithheldAuthority),
    transferHookAuthority: presentOrNull(hook?.authority),
    transferHookProgram: presentOrNull(hook?.programId),
    closeAuthority: presentOrNull(findExtension(mint, "MintCloseAuthority")?.closeAuthority),
    pauseAuthority: option(findExtension(mint, "PausableConfig")?.authority),
    confidentialTransferAuthority: option(
      findExtension(mint, "ConfidentialTransferMint")?.authority,
    ),
    interestRateAuthority: presentOrNull(interest?.rateAuthority),
    scaledUiAmountAuthority: presentOrNull(scaled?.authority),
  };
}

function presentOrNull(address: Address | undefined): Address | null {
  return address === undefined ? null : presentAddress(address);
}
