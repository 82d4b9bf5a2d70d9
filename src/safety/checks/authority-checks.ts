import type { ParsedMint } from "../parse-mint-account.js";
import { type CheckResult, makeCheck } from "./make-check.js";

/** A live mint authority can print supply and dump it on buyers. */
export function checkMintAuthority(mint: ParsedMint): CheckResult {
  return mint.mintAuthority === null
    ? makeCheck("mint_authority", "pass", "Minting is disabled: the supply is fixed.")
    : makeCheck(
        "mint_authority",
        "warn",
        `${mint.mintAuthority} can still mint new tokens, diluting holders.`,
      );
}

/** A freeze authority can freeze buyers' token accounts so they can never sell. */
export function checkFreezeAuthority(mint: ParsedMint): CheckResult {
  return mint.freezeAuthority === null
    ? makeCheck("freeze_authority", "pass", "No one can freeze holders' token accounts.")
    : makeCheck(
        "freeze_authority",
        "fail",
        `${mint.freezeAuthority} can freeze any holder's tokens, so a buyer may never be able to sell.`,
      );
}
