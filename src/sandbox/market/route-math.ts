/** Which side of the trade the platform fee is taken from. */
export type FeeSide = "input" | "output";

/** One constant-product pool seen from the direction of a trade. */
export interface RouteCurve {
  reserveIn: bigint;
  reserveOut: bigint;
  poolFeeBps: number;
  /** Token-2022 transfer fee withheld on a transfer of the input / output mint. */
  inTransferFee(amount: bigint): bigint;
  outTransferFee(amount: bigint): bigint;
  /** Smallest transfer that delivers `net` after the transfer fee; null when none does. */
  inGrossForNet(net: bigint): bigint | null;
  outGrossForNet(net: bigint): bigint | null;
}

/** Every amount of one priced trade, in base units; what the transaction moves, line by line. */
export interface RouteAmounts {
  /** What the user spends in total, platform fee on the input side included. */
  inAmount: bigint;
  /** What lands in the user's account, after the platform fee and any transfer fee. */
  outAmount: bigint;
  /** User → pool transfer. */
  swapIn: bigint;
  /** What the pool's reserve actually gains (swapIn less the input mint's transfer fee). */
  poolIn: bigint;
  /** Pool fee, in the input mint, kept by the pool. */
  poolFee: bigint;
  /** Pool → user transfer. */
  userOut: bigint;
  /** Platform fee, in the mint of `feeSide`. */
  platformFee: bigint;
  feeSide: FeeSide;
  /** Fraction of the spot-price value lost to the curve (0.01 = 1%). */
  priceImpact: number;
}

const BPS = 10_000n;

function curveOut(curve: RouteCurve, netIn: bigint): bigint {
  return (curve.reserveOut * netIn) / (curve.reserveIn + netIn);
}

function impact(curve: RouteCurve, netIn: bigint): number {
  const total = curve.reserveIn + netIn;
  return total === 0n ? 0 : Number((netIn * 1_000_000_000n) / total) / 1e9;
}

/** Prices `amountIn` through the pool; null when nothing would come out. */
export function computeExactIn(
  curve: RouteCurve,
  amountIn: bigint,
  platformFeeBps: number,
  feeSide: FeeSide,
): RouteAmounts | null {
  const feeBps = BigInt(platformFeeBps);
  const inputFee = feeSide === "input" ? (amountIn * feeBps) / BPS : 0n;
  const swapIn = amountIn - inputFee;
  const poolIn = swapIn - curve.inTransferFee(swapIn);
  const poolFee = (poolIn * BigInt(curve.poolFeeBps) + BPS - 1n) / BPS;
  const netIn = poolIn - poolFee;
  if (netIn <= 0n || curve.reserveIn <= 0n) return null;
  const grossOut = curveOut(curve, netIn);
  const outputFee = feeSide === "output" ? (grossOut * feeBps) / BPS : 0n;
  const userOut = grossOut - outputFee;
  const outAmount = userOut - curve.outTransferFee(userOut);
  if (outAmount <= 0n) return null;
  return {
    inAmount: amountIn,
    outAmount,
    swapIn,
    poolIn,
    poolFee,
    userOut,
    platformFee: feeSide === "input" ? inputFee : outputFee,
    feeSide,
    priceImpact: impact(curve, netIn),
  };
}

/** Prices receiving exactly `amountOut` (fee on the input side, as Jupiter does for ExactOut). */
export function computeExactOut(
  curve: RouteCurve,
  amountOut: bigint,
  platformFeeBps: number,
): RouteAmounts | null {
  const userOut = curve.outGrossForNet(amountOut);
  if (userOut === null || userOut >= curve.reserveOut || amountOut <= 0n) return null;
  const netIn =
    (curve.reserveIn * userOut + curve.reserveOut - userOut - 1n) / (curve.reserveOut - userOut);
  let poolIn =
    (netIn * BPS + BPS - BigInt(curve.poolFeeBps) - 1n) / (BPS - BigInt(curve.poolFeeBps));
  const feeOf = (x: bigint) => (x * BigInt(curve.poolFeeBps) + BPS - 1n) / BPS;
  while (poolIn - feeOf(poolIn) < netIn) poolIn += 1n;
  const swapIn = curve.inGrossForNet(poolIn);
  if (swapIn === null) return null;
  const platformFee = (swapIn * BigInt(platformFeeBps)) / BPS;
  return {
    inAmount: swapIn + platformFee,
    outAmount: amountOut,
    swapIn,
    poolIn,
    poolFee: feeOf(poolIn),
    userOut,
    platformFee,
    feeSide: "input",
    priceImpact: impact(curve, netIn),
  };
}

/** Least acceptable output (ExactIn) or most acceptable input (ExactOut) under `slippageBps`. */
export function getOtherAmountThreshold(
  mode: "ExactIn" | "ExactOut",
  amount: bigint,
  slippageBps: number,
): bigint {
  const bps = BigInt(slippageBps);
  return mode === "ExactIn"
    ? (amount * (BPS - bps)) / BPS
    : (amount * (BPS + bps) + BPS - 1n) / BPS;
}
