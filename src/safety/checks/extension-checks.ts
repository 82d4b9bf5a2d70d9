import { AccountState } from "@solana-program/token-2022";
import { findExtension, type ParsedMint, presentAddress } from "../parse-mint-account.js";
import { type CheckResult, makeCheck } from "./make-check.js";

const classic = (mint: ParsedMint) => mint.program === "spl-token";
const noFeature = (mint: ParsedMint, what: string) =>
  classic(mint) ? `Classic SPL Token mints cannot have ${what}.` : `The mint has no ${what}.`;

/** A permanent delegate can move or burn anyone's tokens at any time. */
export function checkPermanentDelegate(mint: ParsedMint): CheckResult {
  const ext = findExtension(mint, "PermanentDelegate");
  const delegate = ext ? presentAddress(ext.delegate) : null;
  return delegate === null
    ? makeCheck("permanent_delegate", "pass", noFeature(mint, "permanent delegate"))
    : makeCheck(
        "permanent_delegate",
        "fail",
        `${delegate} is a permanent delegate: it can take or burn tokens from every holder.`,
      );
}

export function checkNonTransferable(mint: ParsedMint): CheckResult {
  return findExtension(mint, "NonTransferable")
    ? makeCheck(
        "non_transferable",
        "fail",
        "The token is non-transferable: once bought it can never be sold or moved.",
        { waivable: false },
      )
    : makeCheck("non_transferable", "pass", "Tokens can be transferred.");
}

export function checkDefaultAccountState(mint: ParsedMint): CheckResult {
  const ext = findExtension(mint, "DefaultAccountState");
  return ext?.state === AccountState.Frozen
    ? makeCheck(
        "default_account_state",
        "fail",
        "New token accounts start frozen: a buyer's tokens are locked until the issuer thaws them.",
      )
    : makeCheck("default_account_state", "pass", "New token accounts start usable.");
}

export function checkPausable(mint: ParsedMint): CheckResult {
  const ext = findExtension(mint, "PausableConfig");
  if (!ext) return makeCheck("pausable", "pass", noFeature(mint, "pause switch"));
  if (ext.paused) {
    return makeCheck("pausable", "fail", "Transfers are paused right now: nothing can be sold.", {
      waivable: false,
    });
  }
  return ext.authority.__option === "Some"
    ? makeCheck(
        "pausable",
        "fail",
        `${ext.authority.value} can pause all transfers at any time, stopping every sale.`,
      )
    : makeCheck("pausable", "pass", "The mint is pausable but no one holds the pause authority.");
}

/** A hook program runs on every transfer and can refuse sales. */
export function checkTransferHook(mint: ParsedMint): CheckResult {
  const ext = findExtension(mint, "TransferHook");
  if (!ext) return makeCheck("transfer_hook", "pass", noFeature(mint, "transfer hook"));
  const program = presentAddress(ext.programId);
  const authority = presentAddress(ext.authority);
  if (program !== null) {
    return makeCheck(
      "transfer_hook",
      "warn",
      `Every transfer runs hook program ${program}, which can refuse or tax sales.`,
    );
  }
  return authority === null
    ? makeCheck("transfer_hook", "pass", "The transfer hook is empty and can no longer be set.")
    : makeCheck(
        "transfer_hook",
        "warn",
        `No hook runs yet, but ${authority} can install a transfer hook program at any time.`,
      );
}

export function checkMintCloseAuthority(mint: ParsedMint): CheckResult {
  const ext = findExtension(mint, "MintCloseAuthority");
  const authority = ext ? presentAddress(ext.closeAuthority) : null;
  return authority === null
    ? makeCheck("mint_close_authority", "pass", noFeature(mint, "close authority"))
    : makeCheck(
        "mint_close_authority",
        "warn",
        `${authority} can close the mint once supply is zero and reopen its address as a different token.`,
      );
}

export function checkConfidentialTransfer(mint: ParsedMint): CheckResult {
  return findExtension(mint, "ConfidentialTransferMint")
    ? makeCheck(
        "confidential_transfer",
        "warn",
        "Balances and transfers can be hidden (confidential transfers), so holdings cannot be fully audited.",
      )
    : makeCheck("confidential_transfer", "pass", noFeature(mint, "confidential transfers"));
}

export function checkInterestBearing(mint: ParsedMint): CheckResult {
  const ext = findExtension(mint, "InterestBearingConfig");
  return ext
    ? makeCheck(
        "interest_bearing",
        "warn",
        `Displayed balances accrue interest at ${ext.currentRate / 100}% a year set by ${presentAddress(ext.rateAuthority) ?? "no one"}; the raw amount does not change.`,
      )
    : makeCheck("interest_bearing", "pass", noFeature(mint, "interest-bearing display"));
}

export function checkScaledUiAmount(mint: ParsedMint): CheckResult {
  const ext = findExtension(mint, "ScaledUiAmountConfig");
  return ext
    ? makeCheck(
        "scaled_ui_amount",
        "warn",
        `Displayed balances are multiplied by ${ext.multiplier}, which ${presentAddress(ext.authority) ?? "no one"} can change: what wallets show is not the raw amount.`,
      )
    : makeCheck("scaled_ui_amount", "pass", noFeature(mint, "scaled display amount"));
}

/** Extension types newer than our codecs: we cannot say they are harmless. */
export function getUnknownExtensionTypes(mint: ParsedMint): number[] {
  return mint.extensions.flatMap((e) => (e.__kind === "Unknown" ? [e.type] : []));
}

export function checkUnknownExtensions(mint: ParsedMint): CheckResult | null {
  const types = getUnknownExtensionTypes(mint);
  return types.length === 0
    ? null
    : makeCheck(
        "unknown_extension",
        "warn",
        `The mint carries Token-2022 extension type(s) ${types.join(", ")} that this version cannot read, so their effect is unknown.`,
        { waivable: false },
      );
}
