import { type Address, isSome } from "@solana/kit";
import { type Extension, getMintDecoder } from "@solana-program/token-2022";
import type { SandboxChain } from "../index.js";

export interface TransferFeeRate {
  epoch: bigint;
  maximumFee: bigint;
  basisPoints: number;
}

/** What quoting and building a swap need to know about a mint, read from its account. */
export interface MintState {
  address: Address;
  program: Address;
  decimals: number;
  supply: bigint;
  mintAuthority: Address | null;
  freezeAuthority: Address | null;
  transferFee: { older: TransferFeeRate; newer: TransferFeeRate } | null;
  extensions: readonly Extension[];
}

const CLOCK_SYSVAR = "SysvarC1ock11111111111111111111111111111111" as Address;

/** The current epoch as programs see it (the Clock sysvar), which picks the transfer fee rate. */
export function getEpoch(chain: SandboxChain): bigint {
  const data = chain.getAccount(CLOCK_SYSVAR)?.data;
  if (!data || data.length < 24) return 0n;
  return new DataView(data.buffer, data.byteOffset, data.byteLength).getBigUint64(16, true);
}

export function readMintState(chain: SandboxChain, mint: Address): MintState | null {
  const account = chain.getAccount(mint);
  if (!account) return null;
  try {
    const decoded = getMintDecoder().decode(account.data);
    if (!decoded.isInitialized) return null;
    const extensions = isSome(decoded.extensions) ? decoded.extensions.value : [];
    const fee = extensions.find((e) => e.__kind === "TransferFeeConfig");
    return {
      address: mint,
      program: account.owner,
      decimals: decoded.decimals,
      supply: decoded.supply,
      mintAuthority: isSome(decoded.mintAuthority) ? decoded.mintAuthority.value : null,
      freezeAuthority: isSome(decoded.freezeAuthority) ? decoded.freezeAuthority.value : null,
      transferFee: fee
        ? {
            older: toRate(fee.olderTransferFee),
            newer: toRate(fee.newerTransferFee),
          }
        : null,
      extensions,
    };
  } catch {
    return null;
  }
}

function toRate(fee: { epoch: bigint; maximumFee: bigint; transferFeeBasisPoints: number }) {
  return { epoch: fee.epoch, maximumFee: fee.maximumFee, basisPoints: fee.transferFeeBasisPoints };
}

function rateAt(mint: MintState, epoch: bigint): TransferFeeRate | null {
  if (!mint.transferFee) return null;
  return epoch >= mint.transferFee.newer.epoch ? mint.transferFee.newer : mint.transferFee.older;
}

/** The fee Token-2022 withholds from a transfer of `amount` (ceil, capped), as the program does. */
export function getTransferFee(mint: MintState, epoch: bigint, amount: bigint): bigint {
  const rate = rateAt(mint, epoch);
  if (!rate || rate.basisPoints === 0 || amount === 0n) return 0n;
  const raw = (amount * BigInt(rate.basisPoints) + 9_999n) / 10_000n;
  return raw < rate.maximumFee ? raw : rate.maximumFee;
}

/** The smallest amount to send so that the recipient gets at least `net`; null when impossible. */
export function getGrossForNet(mint: MintState, epoch: bigint, net: bigint): bigint | null {
  const rate = rateAt(mint, epoch);
  if (!rate || rate.basisPoints === 0 || net === 0n) return net;
  if (rate.basisPoints >= 10_000) return net + rate.maximumFee;
  let gross =
    (net * 10_000n + BigInt(9_999 - rate.basisPoints)) / BigInt(10_000 - rate.basisPoints);
  if (gross - net > rate.maximumFee) gross = net + rate.maximumFee;
  // Rounding in the fee can leave the estimate one unit short; step up until it delivers.
  for (let i = 0; i < 4 && gross - getTransferFee(mint, epoch, gross) < net; i++) gross += 1n;
  return gross - getTransferFee(mint, epoch, gross) >= net ? gross : null;
}
