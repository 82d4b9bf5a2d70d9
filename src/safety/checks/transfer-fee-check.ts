import type { TransferFee } from "@solana-program/token-2022";
import { findExtension, type ParsedMint, presentAddress } from "../parse-mint-account.js";
import type { Readable } from "../readable.js";
import { bpsPercent, type CheckResult, makeCheck } from "./make-check.js";

/** At or above this the fee alone eats a trade: block. */
export const TRANSFER_FEE_BLOCK_BPS = 1_000;

/** Token-2022 applies the newer fee from its epoch on, the older one before it. */
export function getCurrentTransferFee(
  config: { olderTransferFee: TransferFee; newerTransferFee: TransferFee },
  epoch: bigint,
): TransferFee {
  return epoch >= config.newerTransferFee.epoch ? config.newerTransferFee : config.olderTransferFee;
}

/** The fee in bps a transfer of `amount` pays: the rate, capped by the fee's maximum. */
export function getEffectiveFeeBps(fee: TransferFee, amount: bigint | null): number {
  if (amount === null || amount <= 0n) return fee.transferFeeBasisPoints;
  const uncapped = (amount * BigInt(fee.transferFeeBasisPoints) + 9_999n) / 10_000n;
  if (uncapped <= fee.maximumFee) return fee.transferFeeBasisPoints;
  return Number((fee.maximumFee * 10_000n) / amount);
}

/**
 * Reads the fee that applies in the current epoch. `amount` (the tokens a buy would receive)
 * lets a small maximum fee count for what it is; unknown epoch with differing fees → the worse.
 */
export function checkTransferFee(
  mint: ParsedMint,
  epoch: Readable<bigint>,
  amount: bigint | null,
): CheckResult {
  const config = findExtension(mint, "TransferFeeConfig");
  if (!config) {
    return makeCheck(
      "transfer_fee",
      "pass",
      mint.program === "spl-token"
        ? "Classic SPL Token mints cannot charge transfer fees."
        : "The mint charges no transfer fee.",
    );
  }
  const { olderTransferFee: older, newerTransferFee: newer } = config;
  let current: TransferFee;
  let epochNote = "";
  if (epoch.ok) current = getCurrentTransferFee(config, epoch.value);
  else if (older.transferFeeBasisPoints === newer.transferFeeBasisPoints) current = newer;
  else {
    current = older.transferFeeBasisPoints > newer.transferFeeBasisPoints ? older : newer;
    epochNote = " (the current epoch could not be read, so the higher scheduled fee is assumed)";
  }
  const bps = getEffectiveFeeBps(current, amount);
  const upcoming =
    epoch.ok &&
    epoch.value < newer.epoch &&
    newer.transferFeeBasisPoints > current.transferFeeBasisPoints
      ? ` It rises to ${bpsPercent(newer.transferFeeBasisPoints)} at epoch ${newer.epoch}.`
      : "";
  if (bps >= TRANSFER_FEE_BLOCK_BPS) {
    return makeCheck(
      "transfer_fee",
      "fail",
      `Every transfer loses ${bpsPercent(bps)} to a transfer fee${epochNote}: buying and selling would lose most of the value.${upcoming}`,
      { waivable: false },
    );
  }
  if (bps > 0) {
    return makeCheck(
      "transfer_fee",
      epochNote ? "unknown" : "warn",
      `Every transfer pays a ${bpsPercent(bps)} fee${epochNote}.${upcoming}`,
      { waivable: false },
    );
  }
  if (upcoming)
    return makeCheck("transfer_fee", "warn", `No transfer fee today.${upcoming}`, {
      waivable: false,
    });
  const authority = presentAddress(config.transferFeeConfigAuthority);
  return makeCheck(
    "transfer_fee",
    "pass",
    authority === null
      ? "The transfer fee is zero and no one can change it."
      : `No transfer fee is charged now, though ${authority} can schedule one (with an epoch's notice).`,
  );
}
